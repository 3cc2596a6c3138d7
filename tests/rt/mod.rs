//! A real Request Tracker 5 for the helpdesk tests: Debian's
//! `request-tracker5 rt5-db-sqlite rt5-standalone` (`.ci/run` installs
//! them), a fresh SQLite database in a temporary directory, `rt-server`
//! (Starlet) on a free loopback port. One RT serves the whole test binary
//! (it takes about 6 s to start); each test uses its own devices' serials,
//! so reports and tickets never collide.
//!
//! RT's configuration is a `RT_SiteConfig.d` directory of our own
//! (`RT_SITE_CONFIG_DIR`), so nothing under /etc is touched; `$BcryptCost`
//! is 4 before the database is created (each authenticated call then
//! costs ~8 ms instead of ~330 ms). The server is stopped with SIGTERM
//! when the test binary exits (RT run as root chowns its directory on
//! SIGINT), and gets SIGTERM from the kernel should the binary die first.

// Each test binary that includes this module uses only part of it.
#![allow(dead_code)]

pub mod machine;

use base64::Engine as _;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SETUP: &str = "/usr/sbin/rt-setup-database-5";
const SERVER: &str = "/usr/share/request-tracker5/libexec/rt-server";
/// The RT superuser's password in the test database.
pub const ROOT_PASSWORD: &str = "pawdiag-root-pw";
/// A user who may use the queue General only.
pub const TECH: (&str, &str) = ("tech", "tech-pass-1");

const SITE_CONFIG: &str = include_str!("99-pawdiag.pm");

/// Queues, the DiagnosticId field on General only, a limited user, and an
/// auth token for root written to $RT_TOKEN_FILE.
const DATA: &str = r#"
@Queues = ({ Name => 'Returns', Description => 'a queue without custom fields' });
@CustomFields = ({ Name => 'DiagnosticId', Type => 'FreeformSingle',
                   LookupType => 'RT::Queue-RT::Ticket', Queue => 'General' });
@Users = ({ Name => 'tech', Password => 'tech-pass-1', Privileged => 1,
            EmailAddress => 'tech@example.com' });
@ACL = (map { { UserId => 'tech', Right => $_, Queue => 'General' } }
        qw(SeeQueue CreateTicket ShowTicket CommentOnTicket ModifyTicket));
@Final = (sub {
    my $u = RT::User->new(RT->SystemUser);
    $u->Load('root');
    my ($id, $msg, $token) = RT::AuthToken->new(RT->SystemUser)
        ->Create(Owner => $u->id, Description => 'pawdiag tests');
    open(my $fh, '>', $ENV{RT_TOKEN_FILE}) or die "token file: $!";
    print $fh $token;
    close $fh;
});
1;
"#;

/// The running RT.
pub struct Rt {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// An auth token for root.
    pub token: String,
    agent: ureq::Agent,
}

static RT: OnceLock<Result<Rt, String>> = OnceLock::new();
static SERVER_PID: OnceLock<(u32, PathBuf)> = OnceLock::new();

/// The shared RT, started on first use. Panics (failing the test) with the
/// reason when RT is not installed or does not start: these tests never
/// pass without a real RT.
pub fn rt() -> &'static Rt {
    match RT.get_or_init(start) {
        Ok(rt) => rt,
        Err(e) => panic!("the helpdesk tests need a real Request Tracker 5, and {e}"),
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A loopback port with nothing listening on it (a helpdesk that is down).
pub fn closed_port() -> u16 {
    free_port().expect("a free port")
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{what} could not run: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn start() -> Result<Rt, String> {
    for f in [SETUP, SERVER] {
        if !Path::new(f).exists() {
            return Err(format!(
                "{f} is missing: install it with `apt-get install --no-install-recommends request-tracker5 rt5-db-sqlite rt5-standalone` (as .ci/run does)"
            ));
        }
    }
    let started = Instant::now();
    let dir = tempfile::Builder::new()
        .prefix("pawdiag-rt-")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    let conf = dir.join("RT_SiteConfig.d");
    std::fs::create_dir_all(&conf).map_err(|e| e.to_string())?;
    std::fs::write(conf.join("99-pawdiag-tests.pm"), SITE_CONFIG).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("rootpw"), format!("{ROOT_PASSWORD}\n")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("data.pl"), DATA).map_err(|e| e.to_string())?;
    let port = free_port()?;
    let env = [
        ("RT_SITE_CONFIG_DIR", conf.display().to_string()),
        ("RT_DB_FILE", dir.join("rt.sqlite").display().to_string()),
        ("RT_PORT", port.to_string()),
        ("RT_TOKEN_FILE", dir.join("token").display().to_string()),
    ];
    let setup = |action: &str, extra: &[&str]| {
        let mut c = Command::new(SETUP);
        c.args(["--action", action, "--skip-create"])
            .args(extra)
            .envs(env.clone());
        c
    };
    let pw = dir.join("rootpw").display().to_string();
    run(
        &mut setup("init", &["--root-password-file", &pw]),
        "creating RT's database",
    )?;
    let data = dir.join("data.pl").display().to_string();
    run(
        &mut setup("insert", &["--datafile", &data]),
        "adding the test data",
    )?;
    let token = std::fs::read_to_string(dir.join("token"))
        .map_err(|e| format!("no auth token was made: {e}"))?
        .trim()
        .to_string();

    let log = std::fs::File::create(dir.join("server.log")).map_err(|e| e.to_string())?;
    let mut server = Command::new(SERVER);
    server
        .args(["--server", "Starlet", "--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .args(["--max-workers", "2"])
        .envs(env.clone())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    let pid = spawn_kept(server)?;
    let _ = SERVER_PID.set((pid, dir.clone()));
    // SAFETY: `stop` is a plain extern "C" function that only signals a
    // process and removes a directory; registering it has no preconditions.
    unsafe {
        libc::atexit(stop);
    }

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let rt = Rt {
        url: format!("http://127.0.0.1:{port}"),
        token,
        agent,
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if rt.status("/rt") == 200 {
            break;
        }
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            return Err(format!(
                "rt-server did not answer within 120 s; its log:\n{log}"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "Request Tracker is up at {} after {:.1} s",
        rt.url,
        started.elapsed().as_secs_f64()
    );
    Ok(rt)
}

/// Starts the server from a thread that lives as long as the test binary,
/// with the kernel told to SIGTERM it when that thread (the binary) dies:
/// a crashed test run leaves no RT behind.
fn spawn_kept(mut cmd: Command) -> Result<u32, String> {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let child = cmd.spawn();
        let _ = tx.send(child.as_ref().map(|c| c.id()).map_err(|e| e.to_string()));
        loop {
            std::thread::park();
        }
    });
    rx.recv()
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("rt-server could not start: {e}"))
}

extern "C" fn stop() {
    if let Some((pid, dir)) = SERVER_PID.get() {
        // SAFETY: kill only sends a signal to the server we started.
        unsafe {
            libc::kill(*pid as libc::pid_t, libc::SIGTERM);
        }
        // The master takes its workers down within about a second.
        let gone = Instant::now() + Duration::from_secs(5);
        while Path::new(&format!("/proc/{pid}/status")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/status"))
                .unwrap_or_default()
                .contains("State:\tZ")
            && Instant::now() < gone
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}

impl Rt {
    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.request_with(method, path, &[], body)
    }

    fn request_with(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> (u16, Value) {
        let url = format!("{}/REST/2.0{path}", self.url);
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("root:{ROOT_PASSWORD}"))
        );
        let r = match body {
            None => {
                let mut r = self.agent.get(&url);
                for (k, v) in query {
                    r = r.query(*k, *v);
                }
                r.header("Authorization", &auth).call()
            }
            Some(b) if method == "PUT" => self
                .agent
                .put(&url)
                .header("Authorization", &auth)
                .send_json(b),
            Some(b) => self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .send_json(b),
        };
        match r {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let text = resp.body_mut().read_to_string().unwrap_or_default();
                (status, serde_json::from_str(&text).unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }

    fn status(&self, path: &str) -> u16 {
        self.request("GET", path, None).0
    }

    /// GET as root; panics unless 200.
    pub fn get(&self, path: &str) -> Value {
        let (status, v) = self.request("GET", path, None);
        assert_eq!(status, 200, "GET {path}: {v}");
        v
    }

    /// A new ticket made directly (as a customer's ticket would be).
    pub fn new_ticket(&self, queue: &str, subject: &str) -> String {
        let body = serde_json::json!({"Queue": queue, "Subject": subject,
            "Content": "The customer called.", "ContentType": "text/plain"});
        let (status, v) = self.request("POST", "/ticket", Some(&body));
        assert_eq!(status, 201, "{v}");
        v["id"].as_str().expect("an id").to_string()
    }

    /// Tickets whose attachments include `file_name`.
    pub fn tickets_with_file(&self, file_name: &str) -> Vec<String> {
        let q = format!("Filename = '{file_name}'");
        let (status, v) =
            self.request_with("GET", "/tickets", &[("query", &q), ("fields", "id")], None);
        assert_eq!(status, 200, "{v}");
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            // With fields=id, RT 5.0.3 writes the id as a number.
            .filter_map(|i| match &i["id"] {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect()
    }

    /// The ticket's attachments: (file name, content type, bytes), in order.
    pub fn attachments(&self, ticket: &str) -> Vec<(String, String, Vec<u8>)> {
        let list = self.get(&format!(
            "/ticket/{ticket}/attachments?fields=Filename,ContentType&per_page=100"
        ));
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| {
                let id = i["id"].as_str().expect("id");
                let a = self.get(&format!("/attachment/{id}"));
                // RT sends MIME base64: line breaks every 76 characters.
                let b64: String = a["Content"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .expect("base64");
                (
                    i["Filename"].as_str().unwrap_or("").to_string(),
                    i["ContentType"].as_str().unwrap_or("").to_string(),
                    bytes,
                )
            })
            .collect()
    }
}
