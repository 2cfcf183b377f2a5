-- Departments administered in the app: deactivated (kept for the history of their cases)
-- rather than deleted, and the categories each is competent for (主管部门), from which the
-- dispatch form proposes the lead.
ALTER TABLE departments ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
CREATE TABLE department_categories (
    department TEXT NOT NULL REFERENCES departments (code),
    category   TEXT NOT NULL REFERENCES categories (code),
    PRIMARY KEY (department, category)
);
