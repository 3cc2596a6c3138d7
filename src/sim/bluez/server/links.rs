//! What happens over time: connections made and lost, discovery sessions
//! ended, notifications stopped, and the firmware's output delivered as
//! notifications on each tick.

use super::device::{interfaces_added, interfaces_removed, props_changed};
use super::gatt::{self, Source};
use super::{
    ADAPTER_PATH, ADAPTER1, CHRC1, DESC1, DEVICE1, Dev, Kind, Obj, Props, SERVICE1, State,
};
use crate::sim::Output as FwOutput;
use crate::sim::bluez::BluezOptions;
use std::time::Instant;
use zbus::{Message, Variant};

impl State {
    /// Host- or device-initiated disconnection, as BlueZ reports it.
    pub(super) fn disconnect(&mut self, d: usize, out: &mut Vec<Message>) {
        let dev = &mut self.devices[d];
        if !dev.connected {
            return;
        }
        out.extend(props_changed(
            &dev.path,
            DEVICE1,
            vec![("ServicesResolved", Variant::from(false))],
            &[],
        ));
        // GATT objects of an unpaired device go with the connection.
        for s in (0..dev.services.len()).rev() {
            for c in (0..dev.services[s].chrcs.len()).rev() {
                if dev.services[s].chrcs[c].notifies() {
                    out.extend(interfaces_removed(&dev.desc_path(s, c), DESC1));
                }
                out.extend(interfaces_removed(&dev.chrc_path(s, c), CHRC1));
            }
            out.extend(interfaces_removed(&dev.service_path(s), SERVICE1));
        }
        dev.services.clear();
        dev.values.clear();
        dev.notify.clear();
        dev.connected = false;
        out.extend(props_changed(
            &dev.path,
            DEVICE1,
            vec![("Connected", Variant::from(false))],
            &[],
        ));
    }

    /// Connection established: GATT objects appear, then ServicesResolved.
    pub(super) fn connected(&mut self, d: usize, out: &mut Vec<Message>) {
        let dis = self.devices[d].dis();
        let dev = &mut self.devices[d];
        dev.connected = true;
        if let Kind::Paw(fw) = &mut dev.kind {
            // A new connection starts with an empty receive buffer.
            fw.reset_input();
        }
        dev.services = match dev.kind {
            Kind::Paw(_) => gatt::pawcore(&dis),
            Kind::Strap { .. } => gatt::heart_rate_strap(&dis),
        };
        out.extend(props_changed(
            &dev.path,
            DEVICE1,
            vec![("Connected", Variant::from(true))],
            &[],
        ));
        let mut objs = Vec::new();
        for (s, svc) in self.devices[d].services.iter().enumerate() {
            objs.push(Obj::Service(d, s));
            for (c, chrc) in svc.chrcs.iter().enumerate() {
                objs.push(Obj::Chrc(d, s, c));
                if chrc.notifies() {
                    objs.push(Obj::Desc(d, s, c));
                }
            }
        }
        for o in objs {
            let p = self.object_path(o);
            out.extend(interfaces_added(&p, self.interfaces(o)));
        }
        let dev = &self.devices[d];
        out.extend(props_changed(
            &dev.path,
            DEVICE1,
            vec![
                ("UUIDs", Variant::from(dev.uuids())),
                ("ServicesResolved", Variant::from(true)),
            ],
            &[],
        ));
    }

    /// Ends the discovery session of `client`.
    pub(super) fn stop_discovery(&mut self, client: &str, out: &mut Vec<Message>) -> bool {
        let Some(a) = self.adapter.as_mut() else {
            return false;
        };
        if a.sessions.remove(client).is_none() {
            return false;
        }
        if a.sessions.is_empty() {
            out.extend(props_changed(
                ADAPTER_PATH,
                ADAPTER1,
                vec![("Discovering", Variant::from(false))],
                &[],
            ));
            // BlueZ forgets RSSI (and TxPower) when discovery stops.
            for dev in self.devices.iter_mut().filter(|d| d.rssi.is_some()) {
                dev.rssi = None;
                out.extend(props_changed(
                    &dev.path,
                    DEVICE1,
                    vec![],
                    &["RSSI", "TxPower"],
                ));
            }
        }
        true
    }

    /// A client left the bus: its notify and discovery sessions end (its
    /// connections do not).
    pub(super) fn client_gone(&mut self, client: &str, out: &mut Vec<Message>) {
        self.stop_discovery(client, out);
        if let Some(a) = self.adapter.as_mut() {
            a.filters.remove(client);
        }
        for d in 0..self.devices.len() {
            let handles: Vec<u16> = self.devices[d].notify.keys().copied().collect();
            for h in handles {
                self.end_notify(d, h, client, out);
            }
        }
    }

    pub(super) fn end_notify(
        &mut self,
        d: usize,
        handle: u16,
        client: &str,
        out: &mut Vec<Message>,
    ) -> bool {
        let dev = &mut self.devices[d];
        let Some(set) = dev.notify.get_mut(&handle) else {
            return false;
        };
        if !set.remove(client) {
            return false;
        }
        if set.is_empty()
            && let Some((s, c)) = dev.services.iter().enumerate().find_map(|(s, svc)| {
                svc.chrcs
                    .iter()
                    .position(|c| c.handle == handle)
                    .map(|c| (s, c))
            })
        {
            out.extend(props_changed(
                &dev.chrc_path(s, c),
                CHRC1,
                vec![("Notifying", Variant::from(false))],
                &[],
            ));
        }
        true
    }

    /// Advertisements heard while discovering, firmware work, due outputs.
    /// Returns when to run again.
    pub(super) fn tick(
        &mut self,
        now: Instant,
        opts: &BluezOptions,
        out: &mut Vec<Message>,
    ) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        let mut at = |t: Instant| next = Some(next.map_or(t, |n: Instant| n.min(t)));
        if self.discovering() && self.adapter.as_ref().is_some_and(|a| a.powered) {
            if now >= self.next_advert {
                self.next_advert = now + opts.advert_interval;
                for d in 0..self.devices.len() {
                    if !self.devices[d].advertising(now) || !self.passes_filter(&self.devices[d]) {
                        continue;
                    }
                    let dev = &mut self.devices[d];
                    dev.ticks = dev.ticks.wrapping_add(1);
                    // A little fading, as radio signals do.
                    let jitter = [0i16, -2, 1, -1, 2, -3][dev.ticks as usize % 6];
                    dev.rssi = Some(dev.rssi_base + jitter);
                    if !dev.known {
                        dev.known = true;
                        out.extend(interfaces_added(&dev.path, vec![(DEVICE1, dev.props())]));
                    } else {
                        let mut changed: Props =
                            vec![("RSSI", Variant::from(dev.rssi_base + jitter))];
                        if let Some(m) = dev.manufacturer_data() {
                            // DuplicateData: every advertisement reports its data.
                            changed.push(("ManufacturerData", Variant::from(m)));
                        }
                        out.extend(props_changed(&dev.path, DEVICE1, changed, &[]));
                    }
                }
            }
            at(self.next_advert);
        }
        let mtu = self.mtu();
        for d in 0..self.devices.len() {
            let dev = &mut self.devices[d];
            if let Kind::Paw(fw) = &mut dev.kind {
                if fw.next_deadline().is_some_and(|t| t <= now) {
                    let more = fw.poll(now);
                    dev.pending.extend(more);
                }
                if let Some(t) = fw.next_deadline() {
                    at(t);
                }
            }
            dev.pending.sort_by_key(out_time);
            while dev_due(&self.devices[d], now) {
                let o = self.devices[d].pending.remove(0);
                self.output(d, o, mtu, out);
            }
            let dev = &self.devices[d];
            if let Some(o) = dev.pending.first() {
                at(out_time(o));
            }
            if let Some(t) = dev.away_until.filter(|t| *t > now) {
                at(t);
            }
        }
        next
    }

    pub(super) fn output(&mut self, d: usize, o: FwOutput, mtu: u16, out: &mut Vec<Message>) {
        match o {
            FwOutput::Line { bytes, .. } => {
                let dev = &mut self.devices[d];
                if !dev.connected {
                    return;
                }
                let Some((s, c)) = dev.find_chrc(&Source::NusTx) else {
                    return;
                };
                let handle = dev.services[s].chrcs[c].handle;
                // Without a notify session the CCCD is off: the device cannot send.
                if !dev.notifying(handle) {
                    return;
                }
                let p = dev.chrc_path(s, c);
                for chunk in bytes.chunks(usize::from(mtu.saturating_sub(3)).max(1)) {
                    dev.values.insert(handle, chunk.to_vec());
                    out.extend(props_changed(
                        &p,
                        CHRC1,
                        vec![("Value", Variant::from(chunk.to_vec()))],
                        &[],
                    ));
                }
            }
            FwOutput::Reboot { at, down_for } => {
                self.disconnect(d, out);
                self.devices[d].away_until = Some(at + down_for);
                self.devices[d].pending.clear();
            }
            FwOutput::Vanish { .. } => {
                self.disconnect(d, out);
                self.devices[d].gone = true;
                self.devices[d].pending.clear();
            }
        }
    }
}

pub(super) fn out_time(o: &FwOutput) -> Instant {
    match o {
        FwOutput::Line { at, .. } | FwOutput::Reboot { at, .. } | FwOutput::Vanish { at } => *at,
    }
}

pub(super) fn dev_due(dev: &Dev, now: Instant) -> bool {
    dev.pending.first().is_some_and(|o| out_time(o) <= now)
}

pub(super) fn cccd_value(on: bool) -> Vec<u8> {
    vec![u8::from(on), 0]
}
