//! `gridgov admin create`: the first administrator of a fresh installation, created from
//! the server's shell (no default password exists outside the demo). The password is read
//! from the terminal without echo, or from standard input when that is not a terminal
//! (scripts: `printf '%s\n' "$PW" | gridgov admin create …`).

use anyhow::{Context, bail};
use app::ssr::config::Config;
use app::ssr::services::accounts;
use std::io::{BufRead, IsTerminal};

pub const USAGE: &str = "gridgov admin create --username NAME --district-code 360XXX --district-name 名称\n  \
    creates the first administrator and the district node; the password is read from the\n  \
    terminal (twice) or from standard input.\n";

pub async fn run(config: Config, args: Vec<String>) -> anyhow::Result<()> {
    let Some((command, rest)) = args.split_first() else {
        bail!("usage: {USAGE}");
    };
    if command != "create" {
        bail!("unknown admin command {command:?}; usage: {USAGE}");
    }
    let flag = |name: &str| -> anyhow::Result<String> {
        rest.iter()
            .position(|a| a == name)
            .and_then(|i| rest.get(i + 1))
            .cloned()
            .with_context(|| format!("{name} is required; usage: {USAGE}"))
    };
    let (username, code, name) = (
        flag("--username")?,
        flag("--district-code")?,
        flag("--district-name")?,
    );
    let password = read_password()?;
    let db = server::open_database(&config).await?;
    accounts::create_first_admin(&db, &username, &password, &code, &name, chrono::Utc::now())
        .await
        .context("creating the first administrator")?;
    println!(
        "管理员已创建 / administrator created: {username} ({code} {name}). \
         Start the server and log in at /login."
    );
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first =
            rpassword::prompt_password("密码 / password: ").context("reading the password")?;
        let again =
            rpassword::prompt_password("再次输入 / again: ").context("reading the password")?;
        if first != again {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
