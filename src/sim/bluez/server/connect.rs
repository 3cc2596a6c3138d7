//! `Device1.Connect` of the fake BlueZ: answered once the link is up and
//! services are resolved, or failed the ways BlueZ fails it (a second
//! connect `In Progress`, `le-connection-abort-by-local` for a device that
//! does not advertise, `Cancelled` when `Disconnect` cancels it), plus the
//! connect knobs of [`super::super::BluezOptions`].

use super::{Reply, Shared, State, bluez_err, ok_empty};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zbus::Message;

/// `Device1.Connect`: answered by a task once the link is up (BlueZ replies
/// when services are resolved) or has failed. The connect knobs act here.
pub(super) fn connect(shared: &Arc<Shared>, st: &mut State, d: usize, msg: &Message) -> Reply {
    if !st.adapter.as_ref().is_some_and(|a| a.powered) {
        return bluez_err("NotReady", "Resource Not Ready");
    }
    if st.devices[d].connected {
        return ok_empty();
    }
    if st.devices[d].connecting {
        return bluez_err("InProgress", "In Progress");
    }
    st.connect_calls += 1;
    st.devices[d].connect_calls += 1;
    let first = st.connect_calls == 1;
    let opts = &shared.opts;
    if opts.in_progress_once && first {
        return bluez_err("InProgress", "In Progress");
    }
    let fails = opts.connect_fails || (opts.abort_once && first);
    let delay = if opts.slow_connect && first {
        super::super::SLOW_CONNECT
    } else {
        opts.connect_delay
    };
    let dev = &mut st.devices[d];
    dev.connecting = true;
    let epoch = dev.connect_epoch;
    let shared = shared.clone();
    let msg = msg.clone();
    tokio::spawn(async move {
        let cancelled = |shared: &Shared| shared.lock().devices[d].connect_epoch != epoch;
        let give_up = Instant::now() + shared.opts.connect_timeout;
        // An LE connection needs the device to advertise (connectable).
        loop {
            let now = Instant::now();
            if cancelled(&shared) {
                shared
                    .answer(&msg.header(), bluez_err("Failed", "Cancelled"))
                    .await;
                return;
            }
            if shared.lock().devices[d].advertising(now) {
                break;
            }
            if now >= give_up {
                shared.lock().devices[d].connecting = false;
                shared
                    .answer(
                        &msg.header(),
                        bluez_err("Failed", "le-connection-abort-by-local"),
                    )
                    .await;
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // The link takes its time to come up; a Disconnect meanwhile cancels it.
        let up_at = Instant::now() + delay;
        while Instant::now() < up_at {
            if cancelled(&shared) {
                shared
                    .answer(&msg.header(), bluez_err("Failed", "Cancelled"))
                    .await;
                return;
            }
            tokio::time::sleep(Duration::from_millis(10).min(delay)).await;
        }
        let mut out = Vec::new();
        let was_cancelled = {
            let mut st = shared.lock();
            let was_cancelled = st.devices[d].connect_epoch != epoch;
            if !was_cancelled {
                st.devices[d].connecting = false;
                if !fails && st.devices[d].advertising(Instant::now()) {
                    st.connected(d, &mut out);
                }
            }
            was_cancelled
        };
        if was_cancelled {
            shared
                .answer(&msg.header(), bluez_err("Failed", "Cancelled"))
                .await;
            return;
        }
        let ok = !out.is_empty();
        shared.send_all(out).await;
        let reply = if ok {
            ok_empty()
        } else {
            bluez_err("Failed", "le-connection-abort-by-local")
        };
        shared.answer(&msg.header(), reply).await;
        shared.wake.notify_one();
    });
    Reply::Later
}
