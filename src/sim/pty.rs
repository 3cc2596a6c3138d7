//! A simulated device on a pseudo-terminal, so the real serial transport
//! (and any terminal program) can talk to it: `pawdiag sim serve` and the
//! serial integration tests.
//!
//! One plain thread per device owns the PTY master and the [`Firmware`]. It
//! waits with `poll(2)` for host bytes or the next deadline (firmware timer
//! or output pacing), and paces output at the baud rate with absolute
//! deadlines (start + bytes × 10 / baud) in chunks of about 16 bytes, like
//! a USB CDC device's 1 ms frames; late wake-ups do not accumulate. A slave
//! fd stays open on the device side so the master never reads EIO when the
//! host closes the port. A reboot goes silent for its down time (input is
//! dropped), then prints the banner again; a vanish closes both fds, so the
//! host's reads fail and the path disappears.

use super::SimSpec;
use super::firmware::{Firmware, Output};
use std::collections::VecDeque;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Output bytes kept for a host that does not read; more is dropped.
const OUT_CAP: usize = 64 * 1024;
/// Bytes released at once when pacing.
const CHUNK: usize = 16;
/// How often the thread looks at the stop flag when idle.
const IDLE_TICK: Duration = Duration::from_millis(100);

/// A simulated device served on a pseudo-terminal until dropped.
pub struct PtyServer {
    path: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl PtyServer {
    /// Opens a pseudo-terminal and serves the device on it. `baud` paces
    /// the output like a real serial line; `None` sends at full speed.
    pub fn start(spec: &SimSpec, baud: Option<u32>) -> io::Result<Self> {
        let (master, slave, path) = open_pty()?;
        let stop = Arc::new(AtomicBool::new(false));
        let fw = Firmware::new(spec);
        let mut dev = PtyDevice {
            master: Some(master),
            slave: Some(slave),
            fw,
            out: VecDeque::new(),
            pace: baud.filter(|b| *b > 0).map(|baud| Pacer {
                baud,
                start: Instant::now(),
                sent: 0,
            }),
            back_at: None,
            vanishing: false,
            stop: stop.clone(),
        };
        dev.queue_banner();
        let thread = std::thread::Builder::new()
            .name(format!("sim-pty {}", path.display()))
            .spawn(move || dev.run())?;
        Ok(Self {
            path,
            stop,
            thread: Some(thread),
        })
    }

    /// The slave path to open, e.g. `/dev/pts/7`.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PtyServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn last_os_error() -> io::Error {
    io::Error::last_os_error()
}

/// A pseudo-terminal for a device served on it, set up as a USB CDC port
/// behaves: openpty, raw mode on the slave, close-on-exec, non-blocking
/// master. Returns the master, the slave (keep it open on the device side)
/// and the slave's path. Public for tests that script firmware of their own.
pub fn open_pty() -> io::Result<(OwnedFd, OwnedFd, PathBuf)> {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    // SAFETY: openpty writes two fds into the provided ints; the name,
    // termios and winsize pointers may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    if rc != 0 {
        return Err(last_os_error());
    }
    // SAFETY: openpty succeeded, so both are fresh fds we now own.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    for fd in [master.as_raw_fd(), slave.as_raw_fd()] {
        // SAFETY: fcntl on an fd we own.
        if unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) } != 0 {
            return Err(last_os_error());
        }
    }
    // Raw mode at once: otherwise echo and \n -> \r\n garble lines.
    // SAFETY: termios is plain data; tcgetattr fills it from our slave fd.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(slave.as_raw_fd(), &mut t) != 0 {
            return Err(last_os_error());
        }
        libc::cfmakeraw(&mut t);
        if libc::tcsetattr(slave.as_raw_fd(), libc::TCSANOW, &t) != 0 {
            return Err(last_os_error());
        }
    }
    // SAFETY: fcntl on the master fd we own.
    unsafe {
        let flags = libc::fcntl(master.as_raw_fd(), libc::F_GETFL);
        if flags < 0
            || libc::fcntl(master.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK) != 0
        {
            return Err(last_os_error());
        }
    }
    let path = slave_path(slave.as_raw_fd())?;
    Ok((master, slave, path))
}

fn slave_path(fd: RawFd) -> io::Result<PathBuf> {
    let mut buf = vec![0 as libc::c_char; 256];
    // SAFETY: the buffer is valid for its length; ttyname_r NUL-terminates.
    let rc = unsafe { libc::ttyname_r(fd, buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    // SAFETY: ttyname_r succeeded, so buf holds a NUL-terminated string.
    let name = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) };
    Ok(PathBuf::from(name.to_string_lossy().into_owned()))
}

/// Output pacing with absolute deadlines.
struct Pacer {
    baud: u32,
    start: Instant,
    sent: u64,
}

impl Pacer {
    fn time_of(&self, bytes: u64) -> Instant {
        self.start + Duration::from_secs_f64(bytes as f64 * 10.0 / f64::from(self.baud))
    }
}

struct PtyDevice {
    master: Option<OwnedFd>,
    slave: Option<OwnedFd>,
    fw: Firmware,
    out: VecDeque<u8>,
    pace: Option<Pacer>,
    /// A reboot is in progress; the banner goes out at this time.
    back_at: Option<Instant>,
    /// The device vanishes once its output queue is empty.
    vanishing: bool,
    stop: Arc<AtomicBool>,
}

impl PtyDevice {
    fn queue_banner(&mut self) {
        for line in self.fw.banner_lines() {
            self.queue(format!("{line}\n").as_bytes());
        }
    }

    fn queue(&mut self, bytes: &[u8]) {
        if self.out.len() + bytes.len() > OUT_CAP {
            return; // Nobody reads: lose whole lines, as a full buffer would.
        }
        if self.out.is_empty()
            && let Some(p) = self.pace.as_mut()
        {
            // Idle time earns no burst: pacing restarts now.
            let now = Instant::now();
            if p.time_of(p.sent) < now {
                p.start = now;
                p.sent = 0;
            }
        }
        self.out.extend(bytes);
    }

    fn handle(&mut self, outs: Vec<Output>) {
        for out in outs {
            match out {
                Output::Line { bytes, .. } => self.queue(&bytes),
                Output::Reboot { at, down_for } => self.back_at = Some(at + down_for),
                // Unplugged once what was already sent has left.
                Output::Vanish { .. } => self.vanishing = true,
            }
        }
    }

    /// Writes what pacing allows now; returns when to come back for more.
    fn pump(&mut self, now: Instant) -> Option<Instant> {
        let fd = self.master.as_ref()?.as_raw_fd();
        while !self.out.is_empty() {
            let want = match &self.pace {
                Some(p) => {
                    let n = CHUNK.min(self.out.len());
                    let due = p.time_of(p.sent + n as u64);
                    if due > now {
                        return Some(due);
                    }
                    // Catch up after a late wake-up, still in whole chunks.
                    let behind = now.saturating_duration_since(p.start).as_secs_f64()
                        * f64::from(p.baud)
                        / 10.0;
                    let allowed = (behind as u64).saturating_sub(p.sent) as usize;
                    allowed.max(n).min(self.out.len())
                }
                None => self.out.len(),
            };
            let (a, b) = self.out.as_slices();
            let chunk: Vec<u8> = a.iter().chain(b.iter()).take(want).copied().collect();
            // SAFETY: writing from a valid buffer to the master fd we own.
            let n = unsafe { libc::write(fd, chunk.as_ptr().cast(), chunk.len()) };
            if n < 0 {
                let e = last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                // Full (host not reading) or broken: try again shortly.
                return Some(now + Duration::from_millis(5));
            }
            let n = n as usize;
            self.out.drain(..n);
            if let Some(p) = self.pace.as_mut() {
                p.sent += n as u64;
            }
        }
        None
    }

    /// Bytes sent that the host has not read yet.
    fn host_unread(&self) -> usize {
        let Some(slave) = self.slave.as_ref() else {
            return 0;
        };
        let mut n: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int; the fd is ours.
        let rc = unsafe { libc::ioctl(slave.as_raw_fd(), libc::FIONREAD, &mut n) };
        if rc == 0 { n.max(0) as usize } else { 0 }
    }

    fn run(mut self) {
        let mut buf = [0u8; 4096];
        let mut vanish_by: Option<Instant> = None;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return;
            }
            let now = Instant::now();
            let outs = self.fw.poll(now);
            self.handle(outs);
            if let Some(back) = self.back_at
                && now >= back
            {
                self.back_at = None;
                let outs = self.fw.poll(now);
                self.queue_banner();
                self.handle(outs);
            }
            let Some(master) = self.master.as_ref().map(AsRawFd::as_raw_fd) else {
                return; // Vanished.
            };
            let mut more = self.pump(now);
            if self.vanishing && self.out.is_empty() {
                // A hung-up PTY discards unread input, so linger until the
                // host has read the last answer: at least 50 ms (the kernel
                // moves written bytes to the slave a little later), at most 1 s.
                let since = *vanish_by.get_or_insert(now);
                let waited = now.saturating_duration_since(since);
                if waited >= Duration::from_millis(50) && self.host_unread() == 0
                    || waited >= Duration::from_secs(1)
                {
                    // Unplugged: both ends go, so the host's reads fail.
                    self.master = None;
                    self.slave = None;
                    return;
                }
                more = Some(now + Duration::from_millis(5));
            }
            let mut wake = now + IDLE_TICK;
            for t in [more, self.fw.next_deadline(), self.back_at]
                .into_iter()
                .flatten()
            {
                wake = wake.min(t);
            }
            let wait = wake.saturating_duration_since(Instant::now());
            // Round up so a wake-up is never early (pacing would spin).
            let ms = wait.as_micros().div_ceil(1000).min(i32::MAX as u128) as libc::c_int;
            let mut pfd = libc::pollfd {
                fd: master,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            let rc = unsafe { libc::poll(&mut pfd, 1, ms) };
            if rc <= 0 || pfd.revents & libc::POLLIN == 0 {
                if rc > 0 && pfd.revents & (libc::POLLHUP | libc::POLLERR) != 0 {
                    // No reader on the other side right now; don't spin.
                    std::thread::sleep(Duration::from_millis(10));
                }
                continue;
            }
            // SAFETY: reading into a valid buffer from the master fd we own.
            let n = unsafe { libc::read(master, buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                continue;
            }
            let outs = self.fw.on_bytes(&buf[..n as usize], Instant::now());
            self.handle(outs);
        }
    }
}
