//! The table itself. Add a line here, use `Msg::Name` in code.

use serde::{Deserialize, Serialize};

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Msg { $($key,)* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];
            pub fn zh(self) -> &'static str { match self { $(Msg::$key => $zh,)* } }
            pub fn en(self) -> &'static str { match self { $(Msg::$key => $en,)* } }
        }
    };
}

messages! {
    AppName => "网格化社会治理平台", "Grid Governance Platform";
    AppShort => "网格治理", "GridGov";
    NavHome => "首页", "Home";
    NavTerritory => "网格地图", "Grid map";
    Login => "登录", "Log in";
    Logout => "退出登录", "Log out";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    LoginTitle => "工作人员登录", "Staff login";
    LoginHint => "网格员、指挥中心、职能部门与领导使用本账号登录。居民无需登录，扫描网格二维码即可上报。", "Grid workers, command centres, departments and leaders log in here. Residents need no account: scan the grid's QR code to report.";
    SwitchLang => "English", "中文";
    Welcome => "欢迎", "Welcome";
    MyArea => "我的辖区", "My area";
    MyDepartment => "我的部门", "My department";
    Role => "角色", "Role";
    Streets => "街道/镇", "Streets/towns";
    Communities => "村/社区", "Communities";
    Grids => "网格", "Grids";
    Members => "网格力量", "Grid workforce";
    FullTimeWorkers => "专职网格员", "Full-time grid workers";
    PartTimeWorkers => "兼职网格员", "Part-time grid workers";
    SupportMembers => "一格八员", "Support members";
    Departments => "职能部门", "Departments";
    TerritoryTitle => "网格地图与组织架构", "Grid map and territory";
    TerritoryTree => "组织架构", "Territory tree";
    MapHint => "点击网格查看名称与网格员。", "Click a grid to see its name and workers.";
    GridWorkers => "本网格工作人员", "Workers of this grid";
    NoMembers => "暂无登记人员", "No members registered";
    Loading => "加载中…", "Loading…";
    Duties => "职责", "Duties";
    WorkPhone => "工作电话", "Work phone";
    LevelDistrict => "区", "District";
    LevelStreet => "街道/镇", "Street/town";
    LevelCommunity => "村/社区", "Community";
    LevelGrid => "网格", "Grid";
    LevelBuilding => "楼栋", "Building";
    RoleAdmin => "管理员", "Administrator";
    RoleLeader => "领导", "Leader";
    RoleCenter => "综治中心", "Command centre";
    RoleGridLeader => "网格长", "Grid leader";
    RoleWorker => "网格员", "Grid worker";
    RoleDept => "职能部门", "Department";
    KindFullTime => "专职网格员", "Full-time grid worker";
    KindPartTimePolice => "兼职网格员（社区民警）", "Part-time (community police)";
    KindPartTimeLegal => "兼职网格员（法律顾问）", "Part-time (legal adviser)";
    KindPartTimeProperty => "兼职网格员（物业人员）", "Part-time (property management)";
    KindSupport => "网格支撑力量", "Support member";
    SupportPartyMember => "在职党员", "Serving party member";
    SupportLocalWorthy => "乡贤", "Local worthy";
    SupportVolunteer => "志愿者", "Volunteer";
    SupportResidentRep => "居民代表", "Resident representative";
    SupportLegal => "法律服务员", "Legal services";
    SupportUrbanManagement => "城管队员", "Urban management";
    SupportMarketSupervision => "市场监管员", "Market supervision";
    SupportFireSafety => "消防安全员", "Fire safety";
    ErrNotFound => "没有找到该内容。", "Not found.";
    ErrUnauthorized => "请先登录。", "Please log in first.";
    ErrForbidden => "您没有权限访问该内容。", "You do not have access to this.";
    ErrInvalidCredentials => "用户名或密码错误。", "Wrong username or password.";
    ErrRateLimited => "尝试次数过多，请稍后再试。", "Too many attempts. Please try again later.";
    ErrInternal => "服务器出错了，请稍后重试。我们已记录此问题。", "Something went wrong on the server. Please try again; the problem has been logged.";
    ErrNetwork => "网络连接失败，请检查网络后重试。", "Could not reach the server. Check the connection and try again.";
    ErrBadRequest => "请求格式不正确。", "The request is not in the expected format.";
    ErrCsrf => "请求来源无法验证，请刷新页面后重试。", "The request's origin could not be verified. Reload the page and try again.";
    ErrRequired => "此项必填。", "This field is required.";
    ErrInvalidCode => "编码只能包含字母、数字和“-”。", "A code may contain only letters, digits and '-'.";
    ErrInvalidPoint => "位置坐标无效。", "The location is not valid.";
    ErrOutsideDistrict => "该位置不在本区网格范围内。", "That location is outside the district's grids.";
    ErrInvalidBoundary => "边界必须是有效的多边形。", "A boundary must be a valid polygon.";
    ErrDatabaseNotEmpty => "数据库中已有数据，未载入演示数据。", "The database already has data; demo data was not loaded.";
    ErrTooLong => "内容太长了。", "This is too long.";
    ErrReasonRequired => "请填写原因或说明。", "Please give a reason or a note.";
    ErrUnknownCategory => "没有这个事件类别。", "There is no such category.";
    ErrUnknownDepartment => "没有这个职能部门。", "There is no such department.";
    RefuseRole => "您的角色或辖区不能对该事件执行此操作。", "Your role or area does not allow this action on this case.";
    RefuseNotAwaitingTriage => "该事件不在待受理状态。", "This case is not waiting for triage.";
    RefuseKeyDaysOnlyForKey => "只有重点难点问题可以设置办理天数。", "Only key cases take a number of working days.";
    RefuseKeyDays => "重点难点问题的办理时限为10至15个工作日。", "A key case has 10 to 15 working days.";
    RefuseNotTriaged => "该事件尚未受理分类，不能派单。", "This case has not been triaged for dispatch.";
    RefuseOneLead => "派单需且仅需一个主办部门（知会部门由系统按类别添加）。", "A dispatch needs exactly one lead department (the copy is added from the category).";
    RefuseDuplicateDepartment => "同一部门不能重复派单。", "A department can be dispatched only once.";
    RefuseNotDispatched => "该事件不在派单办理中。", "This case is not dispatched.";
    RefuseNotYourDispatch => "该事件没有派给您的部门。", "This case was not dispatched to your department.";
    RefuseAlreadyAcknowledged => "您的部门已经报到。", "Your department has already acknowledged.";
    RefuseNotInHand => "该事件当前不在办理中。", "This case is not being handled now.";
    RefuseAcknowledgeFirst => "请先报到签收，再提交办理结果。", "Acknowledge the case before resolving it.";
    RefuseNotResolved => "该事件尚未办结。", "This case is not resolved.";
    RefuseCannotEscalate => "该事件不能再向上级上报。", "This case cannot be escalated further.";
    RefuseExtensionDays => "延期为1至10个工作日。", "An extension is 1 to 10 working days.";
    RefuseExtensionUsed => "每个事件只能申请一次延期。", "A case can be extended only once.";
    RefuseNoExtensionRequest => "没有待审批的延期申请。", "There is no extension request to decide.";
    RefuseFinished => "该事件已归档或已合并。", "This case is closed or merged.";
    RefuseMergeTarget => "只能合并到同类别、仍在办理中的事件。", "A repeat can only be merged into an open case of the same category.";
    RefuseFeedbackWindow => "办结后需等待群众评价3天，才能无评价归档。", "Without feedback, a resolved case may be closed only 3 days after resolution.";
    PageNotFound => "页面不存在", "Page not found";
    BackHome => "返回首页", "Back to home";
}
