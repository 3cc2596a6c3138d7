//! The HTML rendering: one self-contained file (no network, no scripts, the
//! styles inline in the document), readable on screen and printable. The
//! outcome sits in a coloured banner at the top (red for safety). A Content
//! Security Policy forbids scripts and loads as a second line of defence;
//! the first is that every string from a device or a person goes through
//! [`escape::html`]. The report's JSON is embedded in a non-executable
//! `application/json` block for `pawdiag report verify`.

use super::digest::{HTML_CLOSE, HTML_OPEN};
use super::escape::html as h;
use super::markdown::{battery_text, fw_words, status_word};
use super::model::*;
use super::relay_text::privacy_text;
use super::{due_text, embedded_json, transcript_text, when, with_unit};
use std::fmt::Write as _;

const STYLE: &str = r#"
:root { --ink:#1f2328; --muted:#57606a; --line:#d0d7de; --bg:#ffffff; --soft:#f6f8fa; }
* { box-sizing: border-box; }
body { margin:0; background:var(--soft); color:var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.page { max-width: 1100px; margin: 0 auto; padding: 24px; }
.banner { color:#fff; border-radius: 10px; padding: 20px 24px; margin-bottom: 20px;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.banner .eyebrow { font-size: 13px; letter-spacing: .08em; text-transform: uppercase; opacity: .9; }
.banner .kind { font-size: 30px; font-weight: 750; line-height: 1.2; margin: 2px 0 6px; }
.banner .summary { font-size: 18px; margin-bottom: 14px; }
.banner dl { display:flex; flex-wrap:wrap; gap: 8px 28px; margin:0; }
.banner dt { font-size: 12px; text-transform: uppercase; letter-spacing:.06em; opacity:.85; }
.banner dd { margin:0; font-weight:650; font-size: 16px; }
.banner .alert { background: rgba(0,0,0,.22); border-radius: 6px; padding: 10px 14px; margin: 0 0 14px;
  font-weight: 650; font-size: 16px; }
.k-safety { background:#b3261e; border: 4px solid #7f1d1d; }
.k-replace { background:#b45309; }
.k-escalate { background:#8a5a00; }
.k-customer-action { background:#1f5fbf; }
.k-resolved, .k-no-fault-found { background:#1a7f37; }
.k-incomplete { background:#57606a; }
section { background: var(--bg); border:1px solid var(--line); border-radius: 10px; padding: 4px 24px 16px; margin-bottom: 20px; }
h1 { font-size: 20px; margin: 0 0 12px; color: var(--muted); font-weight: 600; }
h2 { font-size: 20px; margin: 18px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 8px; }
p { margin: 6px 0 10px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
table.steps { table-layout: fixed; }
table.steps td { overflow-wrap: anywhere; }
td.time { white-space: nowrap; }
th { background: var(--soft); font-weight: 600; }
table.kv th { width: 26%; background: none; color: var(--muted); font-weight: 500; }
.mono, code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
.muted { color: var(--muted); }
.small { font-size: 13px; }
.fail { color:#b3261e; font-weight: 700; }
.pass { color:#1a7f37; }
.pill { display:inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 650; background: var(--soft); border:1px solid var(--line); }
.u-critical { background:#b3261e; color:#fff; border-color:#b3261e; }
.u-high { background:#b45309; color:#fff; border-color:#b45309; }
.u-normal { background:#ddf4ff; border-color:#54aeff; }
.u-low { background:#dafbe1; border-color:#4ac26b; }
ol.next li { margin: 4px 0; }
pre.transcript { background: #0d1117; color: #e6edf3; padding: 12px 14px; border-radius: 8px; overflow-x: auto;
  white-space: pre; line-height: 1.45; margin: 8px 0 12px; }
pre.transcript .red { color: #ffa657; }
footer { color: var(--muted); font-size: 12px; padding: 0 4px 24px; overflow-wrap: anywhere; }
@media (max-width: 700px) {
  .page { padding: 10px; }
  section { padding: 2px 12px 10px; }
  .banner { padding: 16px; }
  .banner .kind { font-size: 24px; }
  table.kv th { width: 34%; }
}
@page { margin: 14mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin-bottom: 10pt; }
  .banner { border-radius: 0; }
  h2, h3 { break-after: avoid; }
  tr, li, .banner { break-inside: avoid; }
  pre.transcript { background: #fff; color: #000; border: 1px solid #999; white-space: pre-wrap;
    overflow-wrap: anywhere; font-size: 7.5pt; }
  pre.transcript .red { color: #000; font-weight: 700; }
}
"#;

/// Renders the report as one self-contained HTML document.
pub fn render(r: &Report) -> String {
    let mut o = String::with_capacity(16 * 1024 + r.transcript.entries.len() * 160);
    let d = &r.device;
    let product = d.product.clone().unwrap_or_else(|| d.model.clone());
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"{} {}\">\n\
         <title>{} · {} {} · {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<div class=\"page\">\n",
        h(&r.generator.name),
        h(&r.generator.version),
        h(r.outcome.label()),
        h(&product),
        h(&d.serial),
        h(&r.outcome.code)
    );

    // ---- Outcome banner.
    // Inline colours for what older reports never had: the style sheet stays
    // as it was, so their HTML still renders (and verifies) byte for byte.
    let _ = writeln!(
        o,
        "<header class=\"banner k-{}\" role=\"banner\"{}>",
        r.outcome.kind.as_str(),
        if r.outcome.pet_health {
            " style=\"background:#6f42c1;border:4px solid #4a2b86\""
        } else {
            ""
        }
    );
    let _ = writeln!(
        o,
        "<div class=\"eyebrow\">PawCore diagnostic report · {} {}</div>",
        h(&product),
        h(&d.serial)
    );
    let kind = if r.outcome.safety {
        "⚠ Product safety: flagged red".to_string()
    } else if r.outcome.pet_health {
        "Possible harm to a pet: contact the vet".to_string()
    } else {
        r.outcome.label().to_string()
    };
    let _ = writeln!(o, "<div class=\"kind\">{}</div>", h(&kind));
    if r.outcome.safety {
        let _ = writeln!(
            o,
            "<p class=\"alert\">Escalate to Operations within 30 minutes, by {}. Possible harm to a pet: the device must not be used.</p>",
            h(&due_text(&r.sla.due))
        );
    }
    let _ = writeln!(o, "<div class=\"summary\">{}</div>", h(&r.outcome.summary));
    let _ = writeln!(o, "<dl>");
    let dd = |o: &mut String, k: &str, v: &str| {
        let _ = writeln!(o, "<div><dt>{}</dt><dd>{}</dd></div>", h(k), h(v));
    };
    dd(&mut o, "Reference code", &r.outcome.code);
    if let Some(case) = &r.case_ref {
        dd(&mut o, "Case reference", case);
    }
    dd(&mut o, "Tier", &r.outcome.tier.to_string());
    dd(
        &mut o,
        if r.sla.state == SlaState::Met {
            "SLA (met)"
        } else {
            "SLA due"
        },
        &due_text(&r.sla.due),
    );
    if let Some(t) = &r.escalation.customer.ticket {
        dd(&mut o, "Ticket", t);
    }
    if let Some(who) = super::markdown::operator_text(r) {
        dd(&mut o, "Run by", &who);
    }
    let _ = writeln!(o, "</dl>\n</header>");

    // ---- Outcome details (the banner already shows kind, summary, code,
    // tier and due time).
    let _ = writeln!(
        o,
        "<section id=\"outcome\">\n<h2>Outcome details</h2>\n<table class=\"kv\">"
    );
    let kv = |o: &mut String, k: &str, v: String| {
        let _ = writeln!(o, "<tr><th>{}</th><td>{v}</td></tr>", h(k));
    };
    kv(&mut o, "Result", h(r.outcome.label()));
    kv(
        &mut o,
        "SLA target",
        format!(
            "{}<br>due <strong>{}</strong>{}",
            h(&r.sla.target),
            h(&due_text(&r.sla.due)),
            if r.sla.state == SlaState::Met {
                " (met: resolved in the session)"
            } else {
                ""
            }
        ),
    );
    if let Some(c) = &r.outcome.criterion {
        kv(&mut o, "Escalation criterion", h(c));
    }
    if let Some(t) = &r.outcome.tech {
        kv(&mut o, "Technician detail", h(t));
    }
    if let Some(f) = &r.outcome.flow_outcome {
        kv(
            &mut o,
            "The flow itself ended",
            format!(
                "{} <span class=\"mono\">{}</span>: {}",
                h(f.kind.label()),
                h(&f.code),
                h(&f.summary)
            ),
        );
    }
    if let Some(st) = &r.stopped {
        kv(
            &mut o,
            "Stopped early",
            format!(
                "<strong>{}</strong> at step <span class=\"mono\">{}</span>, {}<br>{}",
                h(st.kind.label()),
                h(&st.at_node),
                h(&when(&st.at)),
                h(&st.detail)
            ),
        );
    }
    for n in &r.needs_answers {
        kv(
            &mut o,
            "Needs an answer",
            format!(
                "{} <span class=\"mono\">{}</span> ({})<br>{}",
                h(&n.kind),
                h(&n.node),
                h(&n.accepts.join(", ")),
                h(&n.text)
            ),
        );
    }
    let _ = writeln!(o, "</table>\n</section>");

    // ---- Findings: everything the device reported, most serious first.
    super::findings::html(&mut o, r);

    // ---- Escalation documentation.
    let e = &r.escalation;
    let _ = writeln!(
        o,
        "<section id=\"escalation\">\n<h2>Escalation documentation</h2>"
    );
    let _ = writeln!(o, "<h3>Issue description</h3>\n<p>{}</p>", h(&e.issue));
    let _ = writeln!(o, "<h3>Steps already taken</h3>");
    if e.steps.is_empty() {
        let _ = writeln!(o, "<p class=\"muted\">No steps were taken.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table class=\"steps\">\n<colgroup><col style=\"width:4%\"><col style=\"width:10%\"><col style=\"width:27%\"><col style=\"width:33%\"><col style=\"width:26%\"></colgroup>\n<thead><tr><th>#</th><th>Time (UTC)</th><th>Checked or asked</th><th>Values / answer</th><th>Result</th></tr></thead>\n<tbody>"
        );
        for s in &e.steps {
            let mut what = format!("<strong>{}</strong>", h(&s.action));
            let _ = write!(
                what,
                "<div class=\"small muted\">{} · <span class=\"mono\">{}</span></div>",
                h(&s.kind),
                h(&s.node)
            );
            if let Some(p) = &s.playbook_step {
                let _ = write!(what, "<div class=\"small\">Playbook: {}</div>", h(p));
            }
            if let Some(c) = &s.customer_text
                && c != &s.action
            {
                let _ = write!(what, "<div class=\"small\">Told or asked: “{}”</div>", h(c));
            }
            let mut vals = String::new();
            for v in &s.values {
                let shown = match &v.error {
                    Some(err) => format!("(not read: {err})"),
                    None => with_unit(&v.value, v.unit.as_deref()),
                };
                let _ = write!(
                    vals,
                    "<div class=\"mono\">{} = {}</div>",
                    h(&v.name),
                    h(&shown)
                );
            }
            if let Some(a) = &s.answer {
                let _ = write!(vals, "<div>Answer: <strong>{}</strong></div>", h(a));
            }
            if let Some(f) = &s.fix {
                let _ = write!(vals, "<div>Fix: {}</div>", h(f));
            }
            let mut result = h(&s.result);
            for n in &s.notes {
                let _ = write!(result, "<div class=\"small muted\">{}</div>", h(n));
            }
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"mono time\">{}</td><td>{what}</td><td>{vals}</td><td>{result}</td></tr>",
                s.n,
                h(&s.at.format("%H:%M:%S").to_string())
            );
        }
        let _ = writeln!(o, "</tbody>\n</table>");
    }

    let c = &e.customer;
    let _ = writeln!(
        o,
        "<h3>Customer information and history</h3>\n<table class=\"kv\">"
    );
    let or_not = |v: &Option<String>| {
        v.as_deref()
            .map(h)
            .unwrap_or_else(|| "<span class=\"muted\">not given</span>".into())
    };
    kv(&mut o, "Name", or_not(&c.name));
    kv(&mut o, "E-mail", or_not(&c.email));
    kv(&mut o, "Phone", or_not(&c.phone));
    kv(&mut o, "Ticket", or_not(&c.ticket));
    let notes = if c.notes.is_empty() {
        "<span class=\"muted\">none</span>".to_string()
    } else {
        c.notes
            .iter()
            .map(|n| format!("<div>{}</div>", h(n)))
            .collect::<String>()
    };
    kv(&mut o, "Notes", notes);
    let _ = writeln!(o, "</table>");

    let _ = writeln!(o, "<h3>Urgency and impact assessment</h3>");
    let level = e.urgency.level;
    let _ = writeln!(
        o,
        "<p><span class=\"pill u-{}\">{}</span>{} {}</p>",
        level.label().to_ascii_lowercase(),
        h(level.label()),
        if e.urgency.pet_harm_possible {
            " <strong>Possible harm to a pet.</strong>"
        } else {
            ""
        },
        h(&e.urgency.impact)
    );
    let _ = writeln!(o, "<h3>Recommended next steps</h3>\n<ol class=\"next\">");
    for n in &e.next_steps {
        let _ = writeln!(o, "<li>{}</li>", h(n));
    }
    let _ = writeln!(o, "</ol>\n</section>");

    // ---- Device.
    let _ = writeln!(
        o,
        "<section id=\"device\">\n<h2>Device</h2>\n<table class=\"kv\">"
    );
    let opt = |v: &Option<String>| {
        v.as_deref()
            .map(h)
            .unwrap_or_else(|| "<span class=\"muted\">unknown</span>".into())
    };
    let num = |v: Option<u64>| {
        v.map(|n| n.to_string())
            .unwrap_or_else(|| "<span class=\"muted\">unknown</span>".into())
    };
    kv(
        &mut o,
        "Model",
        format!(
            "{} <span class=\"muted mono\">{}</span>",
            h(&product),
            h(&d.model)
        ),
    );
    kv(
        &mut o,
        "Serial",
        format!("<span class=\"mono\">{}</span>", h(&d.serial)),
    );
    kv(&mut o, "Hardware revision", opt(&d.hw_rev));
    let fw_class = if d.fw_status == FirmwareStatus::Outdated {
        " class=\"fail\""
    } else {
        ""
    };
    kv(
        &mut o,
        "Firmware",
        format!(
            "{} <span{fw_class}>({}; current release {})</span>",
            opt(&d.fw_version),
            fw_words(d.fw_status),
            opt(&d.fw_current)
        ),
    );
    kv(&mut o, "Interface version", num(d.interface));
    kv(&mut o, "Uptime (s)", num(d.uptime_s));
    kv(&mut o, "Boot count", num(d.boot_count));
    kv(&mut o, "Last reset", opt(&d.last_reset));
    kv(&mut o, "Battery", h(&battery_text(d.battery.as_ref())));
    let _ = writeln!(o, "</table>");

    let _ = writeln!(o, "<h3>Self-test</h3>");
    match &d.selftest {
        None => {
            let _ = writeln!(o, "<p class=\"muted\">Not run.</p>");
        }
        Some(tests) => {
            let _ = writeln!(
                o,
                "<table>\n<thead><tr><th>Component</th><th>Status</th><th>Code</th><th>Detail</th></tr></thead>\n<tbody>"
            );
            for t in tests {
                let cls = match t.status {
                    crate::interface::methods::TestStatus::Fail => "fail",
                    crate::interface::methods::TestStatus::Pass => "pass",
                    _ => "muted",
                };
                let _ = writeln!(
                    o,
                    "<tr><td>{}</td><td class=\"{cls}\">{}</td><td class=\"mono\">{}</td><td>{}</td></tr>",
                    h(&t.component),
                    status_word(t.status),
                    t.code.as_deref().map(h).unwrap_or_default(),
                    t.detail.as_deref().map(h).unwrap_or_default()
                );
            }
            let _ = writeln!(o, "</tbody>\n</table>");
        }
    }
    let _ = writeln!(
        o,
        "<h3>Device log <span class=\"muted small\">(newest last)</span></h3>"
    );
    match &d.log {
        None => {
            let _ = writeln!(o, "<p class=\"muted\">Not read.</p>");
        }
        Some(log) if log.entries.is_empty() => {
            let _ = writeln!(o, "<p class=\"muted\">Empty.</p>");
        }
        Some(log) => {
            if log.truncated {
                let _ = writeln!(
                    o,
                    "<p class=\"muted small\">Older entries were left out by the device.</p>"
                );
            }
            let _ = writeln!(
                o,
                "<table>\n<thead><tr><th>Uptime (s)</th><th>Level</th><th>Code</th><th>Message</th></tr></thead>\n<tbody>"
            );
            for l in &log.entries {
                let level = l.level.as_deref().unwrap_or("");
                let cls = if matches!(level, "error" | "fatal" | "crit") {
                    " class=\"fail\""
                } else {
                    ""
                };
                let _ = writeln!(
                    o,
                    "<tr><td class=\"mono\">{}</td><td{cls}>{}</td><td class=\"mono\">{}</td><td>{}</td></tr>",
                    l.t.map(|t| t.to_string()).unwrap_or_default(),
                    h(level),
                    l.code.as_deref().map(h).unwrap_or_default(),
                    l.msg.as_deref().map(h).unwrap_or_default()
                );
            }
            let _ = writeln!(o, "</tbody>\n</table>");
        }
    }
    let _ = writeln!(o, "</section>");

    // ---- Session and privacy.
    let s = &r.session;
    let _ = writeln!(
        o,
        "<section id=\"session\">\n<h2>Session</h2>\n<table class=\"kv\">"
    );
    kv(
        &mut o,
        "Flow",
        format!(
            "{} <span class=\"muted mono\">{}</span>",
            h(&s.flow_title),
            h(&s.flow_id)
        ),
    );
    if let Some(p) = &s.playbook {
        kv(&mut o, "Playbook section", h(p));
    }
    kv(&mut o, "Mode", h(&s.mode));
    kv(&mut o, "Started", h(&when(&s.started_at)));
    kv(&mut o, "Ended", h(&when(&s.ended_at)));
    for (label, text) in super::relay_text::session_lines(r) {
        kv(&mut o, label, h(&text));
    }
    kv(
        &mut o,
        "Report",
        format!(
            "<span class=\"mono\">{}</span>, written {} by {} {}",
            h(&r.report_id),
            h(&when(&r.generated_at)),
            h(&r.generator.name),
            h(&r.generator.version)
        ),
    );
    let mut privacy = h(&privacy_text(&r.privacy));
    for x in &r.privacy.redactions {
        let _ = write!(
            privacy,
            "<div class=\"small\">{}: {} ({})</div>",
            h(&x.what),
            h(&x.how),
            x.count
        );
    }
    kv(&mut o, "Privacy", privacy);
    let _ = writeln!(o, "</table>\n</section>");

    // ---- Transcript.
    let _ = writeln!(
        o,
        "<section id=\"transcript\">\n<h2>Protocol transcript <span class=\"muted small\">(for technicians, {} lines)</span></h2>",
        r.transcript.entries.len()
    );
    if r.transcript.entries.is_empty() {
        let _ = writeln!(o, "<p class=\"muted\">No lines were recorded.</p>");
    } else {
        o.push_str("<pre class=\"transcript\">");
        for l in &r.transcript.entries {
            let line = h(&transcript_text(l));
            if l.redacted {
                let _ = writeln!(o, "<span class=\"red\">{line}</span>");
            } else {
                let _ = writeln!(o, "{line}");
            }
        }
        o.push_str("</pre>\n");
    }
    if r.transcript.dropped > 0 {
        let _ = writeln!(
            o,
            "<p class=\"muted\">{} later lines were not kept (transcript limit).</p>",
            r.transcript.dropped
        );
    }
    let _ = writeln!(o, "</section>");

    let _ = writeln!(
        o,
        "<footer>SHA-256 <span class=\"mono\">{}</span> of the canonical report · check with <code>pawdiag report verify FILE</code></footer>\n</div>",
        h(&r.digest.value)
    );
    o.push_str(HTML_OPEN);
    o.push_str(&embedded_json(r));
    o.push_str(HTML_CLOSE);
    o.push_str("\n</body>\n</html>\n");
    o
}
