//! The files pawdiag needs: its config file (valid, or absent) and the
//! reports directory (writable, or creatable).

use super::{Check, Context, Finding, Status};
use futures_util::future::BoxFuture;
use std::path::Path;

/// The config file parses and its values are in range.
pub struct ConfigFile;

impl Check for ConfigFile {
    fn id(&self) -> &'static str {
        "config"
    }

    fn run<'a>(&'a self, ctx: &'a Context) -> BoxFuture<'a, Vec<Finding>> {
        Box::pin(async move {
            let c = &ctx.config;
            let path = c
                .path
                .as_ref()
                .map_or_else(|| "(none)".to_string(), |p| p.display().to_string());
            let f = match (&c.error, c.found) {
                (Some(e), _) => Finding::new(
                    self.id(),
                    Status::Fail,
                    format!("The settings are not valid: {e}"),
                )
                .fix(format!(
                    "correct or remove {path} (`pawdiag config show` says where each value comes from)"
                )),
                (None, true) => Finding::new(
                    self.id(),
                    Status::Ok,
                    format!("Config file {path} is valid"),
                ),
                (None, false) => Finding::new(
                    self.id(),
                    Status::Ok,
                    format!("No config file at {path}: built-in settings apply"),
                ),
            };
            vec![f]
        })
    }
}

/// Reports can be written.
pub struct ReportDir;

impl Check for ReportDir {
    fn id(&self) -> &'static str {
        "reports"
    }

    fn run<'a>(&'a self, ctx: &'a Context) -> BoxFuture<'a, Vec<Finding>> {
        Box::pin(async move {
            let dir = ctx.report_dir.clone();
            let shown = dir.display().to_string();
            let result = tokio::task::spawn_blocking(move || writable(&dir))
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
            let f = match result {
                Ok(true) => Finding::new(
                    self.id(),
                    Status::Ok,
                    format!("Reports directory {shown} is writable"),
                ),
                Ok(false) => Finding::new(
                    self.id(),
                    Status::Ok,
                    format!("Reports directory {shown} does not exist yet and can be created"),
                ),
                Err(e) => Finding::new(
                    self.id(),
                    Status::Fail,
                    format!("Reports cannot be saved in {shown} ({e})"),
                )
                .fix(
                    "choose a writable directory: report_dir in the config file, PAWDIAG_REPORT_DIR, or --report-dir",
                ),
            };
            vec![f]
        })
    }
}

/// Whether `dir` takes a new file (`Ok(true)`), or does not exist yet but
/// its nearest existing parent would let it be made (`Ok(false)`). Writes
/// and removes a probe file; changes nothing else.
fn writable(dir: &Path) -> Result<bool, String> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err("it is not a directory".into());
        }
        let probe = dir.join(format!(".pawdiag-doctor-{}", std::process::id()));
        std::fs::write(&probe, b"").map_err(|e| e.to_string())?;
        let _ = std::fs::remove_file(&probe);
        return Ok(true);
    }
    let mut parent = dir.parent();
    while let Some(p) = parent {
        if p.as_os_str().is_empty() {
            break;
        }
        if p.exists() {
            if !p.is_dir() {
                return Err(format!("{} is not a directory", p.display()));
            }
            let meta = std::fs::metadata(p).map_err(|e| e.to_string())?;
            if meta.permissions().readonly() || !access_write(p) {
                return Err(format!("{} is not writable", p.display()));
            }
            return Ok(false);
        }
        parent = p.parent();
    }
    Ok(false)
}

#[cfg(unix)]
fn access_write(p: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a valid NUL-terminated path; access(2) only reads it.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn access_write(_p: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_a_missing_one_and_a_file() {
        let d = tempfile::tempdir().expect("tempdir");
        assert_eq!(writable(d.path()), Ok(true));
        assert_eq!(writable(&d.path().join("a/b")), Ok(false));
        let f = d.path().join("f");
        std::fs::write(&f, "x").expect("write");
        assert!(writable(&f).is_err());
        assert!(writable(&f.join("sub")).is_err());
    }
}
