#compdef pawdiag

autoload -U is-at-least

_pawdiag() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_pawdiag_commands" \
"*::: :->pawdiag" \
&& ret=0
    case $state in
    (pawdiag)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-command-$line[1]:"
        case $line[1] in
            (guide)
_arguments "${_arguments_options[@]}" : \
'--report-dir=[Where to save the report \[default\: the config file'\''s report_dir\]]:DIR:_files' \
'--flows=[Flow files overriding the built-in ones (for support staff)]:DIR:_files' \
'(--fresh)--resume[Continue the check that was stopped last time, without asking]' \
'--fresh[Start a new check, forgetting one that was stopped]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'::device -- The device; by default pawdiag finds it by itself:_default' \
&& ret=0
;;
(diagnose)
_arguments "${_arguments_options[@]}" : \
'--timeout-ms=[Extra time allowed per answer, in milliseconds (0–60000), on top of the interface'\''s answer times and the wire time \[default\: from the config file, else 250\]]:MS:_default' \
'--baud=[Serial baud rate (300–4000000)]:BAUD:_default' \
'--max-in-flight=[Requests in flight at once (1–4). 1 sends strictly one at a time, for firmware that misbehaves with pipelining, and for benchmarks]:MAX_IN_FLIGHT:_default' \
'--jobs=[Devices diagnosed at once when several are given (1–256)]:N:_default' \
'--flow=[The troubleshooting flow to walk, e.g. pettracker/gps-not-working, or just gps-not-working for the device'\''s own model'\''s (\`pawdiag flows list\`). Without it\: every automatic check of every flow of the device'\''s model (the bench sweep)]:ID:_default' \
'--answers=[Answers for the flow'\''s questions, consents and actions (TOML or JSON\: node id = value). Unanswered questions take the flow'\''s "unknown" branch]:FILE:_files' \
'--flows=[Use the flows in this directory instead of (or on top of) the built-in ones]:DIR:_files' \
'--audience=[Who reads the output\: technician (verdict, codes, readings, findings) or customer (plain words to read aloud) \[default\: from the config file, else technician\]]:WHO:(technician customer)' \
'--technician=[Technician name written into reports \[default\: from the config file\]]:NAME:_default' \
'--station=[Station id written into reports \[default\: from the config file\]]:ID:_default' \
'--record=[Record every line to and from the device, with its timing, to FILE (JSON Lines). The recording is NOT redacted\: it is created readable by you only and never attached to a report. Replay it with \`pawdiag diagnose replay\:FILE\`]:FILE:_files' \
'--continue=[Continue the session of an earlier report of this device (a customer'\''s \`guide\` report, an incomplete bench session)\: its answers, consents and performed actions are reused, not asked again (the device re-checks what depends on time or place), and the new report links to it and says what changed on the device since]:REPORT:_files' \
'--report=[Write the report here; the format follows the extension (.json, .md, .html). Default\: a JSON file in the per-user reports directory (override with PAWDIAG_REPORT_DIR)]:FILE:_files' \
'--report-format=[Report format, when the file name does not say]:FORMAT:((json\:"The JSON report (the one that is verified)"
md\:"Markdown, to paste into a ticket"
html\:"One self-contained HTML file"))' \
'--customer=[The customer'\''s name, for the report]:NAME:_default' \
'--email=[The customer'\''s e-mail (masked in the report unless --include-personal-data)]:EMAIL:_default' \
'--phone=[The customer'\''s phone (masked in the report unless --include-personal-data)]:PHONE:_default' \
'--ticket=[The support ticket this session belongs to]:REF:_default' \
'*--note=[A note for the report\: history, what the customer said (repeatable)]:TEXT:_default' \
'--helpdesk=[The helpdesk'\''s address, with --upload \[default\: helpdesk_url from the config file, or PAWDIAG_HELPDESK_URL\]]:URL:_default' \
'--queue=[The queue for new tickets, with --upload \[default\: helpdesk_queue from the config file, else General\]]:QUEUE:_default' \
'--non-interactive[Never prompt (pick no device from a list, ask nothing); several devices for \`auto\` is then an error listing them]' \
'--json[Print JSON on stdout instead of tables]' \
'--include-personal-data[Keep GPS positions, geofence names and contact details in the report as they are (they are coarsened or masked by default)]' \
'--upload[Send each report to the helpdesk as soon as it is written\: a comment on its ticket when the ticket is a number, else a new ticket (see \`pawdiag report upload\`)]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'::device -- The device\: a serial number (PT-24A0-0001), serial\:PATH, ble\:ADDRESS, ble\:NAME, sim\:MODEL\[?fault=…\], replay\:FILE (a recording or a report, answered as recorded) or auto:_default' \
'*::more -- More devices, diagnosed side by side (one progress line each); with several devices nothing is asked\: use --answers or accept unanswered questions:_default' \
&& ret=0
;;
(info)
_arguments "${_arguments_options[@]}" : \
'--timeout-ms=[Extra time allowed per answer, in milliseconds (0–60000), on top of the interface'\''s answer times and the wire time \[default\: from the config file, else 250\]]:MS:_default' \
'--baud=[Serial baud rate (300–4000000)]:BAUD:_default' \
'--max-in-flight=[Requests in flight at once (1–4). 1 sends strictly one at a time, for firmware that misbehaves with pipelining, and for benchmarks]:MAX_IN_FLIGHT:_default' \
'--non-interactive[Never prompt (pick no device from a list, ask nothing); several devices for \`auto\` is then an error listing them]' \
'--json[Print JSON on stdout instead of tables]' \
'--no-selftest[Skip the self-test (it takes up to 5 seconds)]' \
'--include-personal-data[Show the pet'\''s location and geofence names as the device reports them (by default coordinates are rounded to about 1 km and names hidden)]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'::device -- The device\: a serial number (PT-24A0-0001), serial\:PATH, ble\:ADDRESS, ble\:NAME, sim\:MODEL\[?fault=…\], replay\:FILE (a recording or a report, answered as recorded) or auto:_default' \
&& ret=0
;;
(scan)
_arguments "${_arguments_options[@]}" : \
'--timeout=[How long to listen for Bluetooth devices, in seconds (0.5–300)]:TIMEOUT:_default' \
'--json[Print JSON on stdout instead of tables]' \
'--all[Also list devices that are not PawCore devices (Bluetooth)]' \
'--no-ble[Skip Bluetooth; list USB serial devices only]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(watch)
_arguments "${_arguments_options[@]}" : \
'--timeout-ms=[Extra time allowed per answer, in milliseconds (0–60000), on top of the interface'\''s answer times and the wire time \[default\: from the config file, else 250\]]:MS:_default' \
'--baud=[Serial baud rate (300–4000000)]:BAUD:_default' \
'--max-in-flight=[Requests in flight at once (1–4). 1 sends strictly one at a time, for firmware that misbehaves with pipelining, and for benchmarks]:MAX_IN_FLIGHT:_default' \
'--count=[Stop after this many refreshes (default\: until Ctrl-C)]:N:_default' \
'--interval-ms=[Time between refreshes, in milliseconds]:MS:_default' \
'--non-interactive[Never prompt (pick no device from a list, ask nothing); several devices for \`auto\` is then an error listing them]' \
'--json[Print JSON on stdout instead of tables]' \
'--include-personal-data[Show the pet'\''s location as the device reports it (by default coordinates are rounded to about 1 km)]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'::device -- The device\: a serial number (PT-24A0-0001), serial\:PATH, ble\:ADDRESS, ble\:NAME, sim\:MODEL\[?fault=…\], replay\:FILE (a recording or a report, answered as recorded) or auto:_default' \
&& ret=0
;;
(batch)
_arguments "${_arguments_options[@]}" : \
'-j+[Devices run at once (1–256) \[default\: from the config file, else 8\]]:N:_default' \
'--jobs=[Devices run at once (1–256) \[default\: from the config file, else 8\]]:N:_default' \
'--out=[Directory for the reports, one per device \[default\: the config file'\''s report_dir\]]:DIR:_files' \
'--timeout-ms=[Extra time allowed per answer, in milliseconds (0–60000) \[default\: from the config file, else 250\]]:MS:_default' \
'--baud=[Serial baud rate (300–4000000)]:BAUD:_default' \
'--flows=[Flow files overriding the built-in ones (a directory like \`flows/\`)]:DIR:_files' \
'--technician=[Technician name written into reports \[default\: from the config file\]]:NAME:_default' \
'--station=[Station id written into reports \[default\: from the config file\]]:ID:_default' \
'--helpdesk=[The helpdesk'\''s address, with --upload \[default\: helpdesk_url from the config file, or PAWDIAG_HELPDESK_URL\]]:URL:_default' \
'--queue=[The queue for new tickets, with --upload \[default\: helpdesk_queue from the config file, else General\]]:QUEUE:_default' \
'--resume[Skip devices whose finished report is already in --out (after an interrupted run), known by serial number and flow, not by port]' \
'--include-personal-data[Keep the pet'\''s location and geofence names in the reports (by default coordinates are rounded to about 1 km and names hidden)]' \
'--upload[Send each report to the helpdesk as soon as it is written\: a comment on its ticket when the ticket is a number, else a new ticket (see \`pawdiag report upload\`)]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':manifest -- The manifest\: CSV with a header row (columns device, flow, ticket, answers, answer\:<question-id>), or TOML when it ends in .toml. A device of `auto-all` stands for every attached device:_files' \
&& ret=0
;;
(report)
_arguments "${_arguments_options[@]}" : \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_pawdiag__subcmd__report_commands" \
"*::: :->report" \
&& ret=0

    case $state in
    (report)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-report-command-$line[1]:"
        case $line[1] in
            (render)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format (default\: from the extension of -o, else Markdown)]:FORMAT:((json\:"The JSON report (the one that is verified)"
md\:"Markdown, to paste into a ticket"
html\:"One self-contained HTML file"))' \
'-o+[Write here (atomically) instead of to stdout]:OUT:_files' \
'--output=[Write here (atomically) instead of to stdout]:OUT:_files' \
'--force[Render even if the report fails verification]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':file -- The saved report (.json, or a .md/.html report written by pawdiag):_files' \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
'--json[Print the result as JSON]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':file -- The report to check (.json, .md or .html written by pawdiag):_files' \
&& ret=0
;;
(upload)
_arguments "${_arguments_options[@]}" : \
'(--queue)--ticket=[Add the reports to this ticket as a comment \[default\: the report'\''s own ticket when it is a number, else a new ticket\]]:N:_default' \
'--queue=[Open a new ticket in this queue, even when the report names a ticket \[default\: helpdesk_queue from the config file, else General\]]:QUEUE:_default' \
'--helpdesk=[The helpdesk'\''s address \[default\: helpdesk_url from the config file, or PAWDIAG_HELPDESK_URL\]. Credentials come from the environment\: PAWDIAG_HELPDESK_TOKEN, or PAWDIAG_HELPDESK_USER and PAWDIAG_HELPDESK_PASSWORD]:URL:_default' \
'(--ticket --queue)--pending[Send the uploads waiting in the outbox, oldest first]' \
'--json[Print one JSON line per report on stdout]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'*::files -- The reports to send (.json, or .md/.html written by pawdiag):_files' \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
'--force[Compare even if the reports are of different devices, or do not verify]' \
'--json[Print the changes as JSON]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':old -- The older report (.json, .md or .html written by pawdiag):_files' \
':new -- The newer report:_files' \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
'--dir=[The reports directory \[default\: the configured one, see \`pawdiag config show\`\]]:DIR:_files' \
'--json[Print the list as JSON]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':serial -- The device'\''s serial number, e.g. PT-24A0-0001:_default' \
&& ret=0
;;
(share)
_arguments "${_arguments_options[@]}" : \
'--out=[Where to write the copy; its extension picks the format (.json, .md, .html)]:OUT:_files' \
'*--include=[Personal data the customer consented to let leave, comma-separated. Everything else is coarsened, hidden or masked in the copy]:KINDS:((location\:"The pet'\''s exact GPS position"
geofences\:"Geofence names"
contact\:"The customer'\''s name, e-mail addresses and phone numbers"))' \
'--dry-run[Only show what would leave; write nothing]' \
'--json[Print the preview (and where the copy went) as JSON]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':file -- The report to share (.json, .md or .html written by pawdiag):_files' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_pawdiag__subcmd__report__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-report-help-command-$line[1]:"
        case $line[1] in
            (render)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(upload)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(share)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(flows)
_arguments "${_arguments_options[@]}" : \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_pawdiag__subcmd__flows_commands" \
"*::: :->flows" \
&& ret=0

    case $state in
    (flows)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-flows-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'--model=[Only the flows of this model]:MODEL:_default' \
'--flows=[Use the flows in DIR (files there replace the built-in ones with the same path; others are added)]:DIR:_files' \
'--json[Print JSON on stdout instead of tables]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'--flows=[Use the flows in DIR (files there replace the built-in ones with the same path; others are added)]:DIR:_files' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':id -- Flow id, e.g. pettracker/gps-not-working:_default' \
&& ret=0
;;
(graph)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format]:FORMAT:((mermaid\:"Mermaid flowchart (renders on GitHub and in many editors)"
dot\:"Graphviz DOT (\`dot -Tsvg\`)"))' \
'--flows=[Use the flows in DIR (files there replace the built-in ones with the same path; others are added)]:DIR:_files' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':id -- Flow id:_default' \
&& ret=0
;;
(lint)
_arguments "${_arguments_options[@]}" : \
'--json[Print JSON on stdout instead of tables]' \
'--strict[Also fail (exit 2) on warnings]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'::dir -- A flows directory (default\: the built-in flows). Its files replace the built-in ones with the same path:_files' \
&& ret=0
;;
(test)
_arguments "${_arguments_options[@]}" : \
'--filter=[Only scenarios whose name contains this text]:FILTER:_default' \
'--jobs=[Scenarios run at once (1–32)]:JOBS:_default' \
'--recordings=[Instead of the scenarios\: replay every recording (\`--record\`) and report in DIR against the flows, with their recorded replies, and list the verdicts that changed (exit 4 if any did)]:DIR:_files' \
'--json[Print JSON on stdout instead of tables]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'::dir -- A flows directory with scenarios/ (default\: the built-in flows):_files' \
&& ret=0
;;
(probes)
_arguments "${_arguments_options[@]}" : \
'--model=[Only the probes of this model]:MODEL:_default' \
'--json[Print JSON on stdout instead of tables]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_pawdiag__subcmd__flows__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-flows-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(graph)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(lint)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(test)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(probes)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(sim)
_arguments "${_arguments_options[@]}" : \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_pawdiag__subcmd__sim_commands" \
"*::: :->sim" \
&& ret=0

    case $state in
    (sim)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-sim-command-$line[1]:"
        case $line[1] in
            (faults)
_arguments "${_arguments_options[@]}" : \
'--model=[Only the faults of this model]:MODEL:_default' \
'--json[Print JSON on stdout instead of tables]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
'--model=[pettracker, healthmonitor or smartcollar]:MODEL:_default' \
'*--fault=[Device faults, comma-separated (see \`pawdiag sim faults\`)]:FAULT:_default' \
'*--link=[Link faults, comma-separated (corrupt, drop, slow, busy, silent, …)]:LINK:_default' \
'--baud=[Pace output at this baud rate (300–4000000), as a real USB serial device would]:BAUD:_default' \
'--count=[How many devices to serve (1–256; serials count up)]:COUNT:_default' \
'--serial=[Serial number of the first device]:SERIAL:_default' \
'--fw=[Firmware version to report]:FW:_default' \
'*--bluez=[Fake-BlueZ knobs with --ble, comma-separated\: no-adapter, rfkill, powered-off, in-progress-once, abort-once, slow-connect, connect-fails, cached-away, heart-rate-strap, mtu-23]:BLUEZ:_default' \
'--ble[Serve over a BlueZ-compatible D-Bus service instead of pseudo-terminals]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_pawdiag__subcmd__sim__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-sim-help-command-$line[1]:"
        case $line[1] in
            (faults)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(config)
_arguments "${_arguments_options[@]}" : \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_pawdiag__subcmd__config_commands" \
"*::: :->config" \
&& ret=0

    case $state in
    (config)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-config-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
'--audience=[Who reads the output\: technician (verdict, codes, readings, findings) or customer (plain words to read aloud) \[default\: from the config file, else technician\]]:WHO:(technician customer)' \
'--technician=[Technician name written into reports \[default\: from the config file\]]:NAME:_default' \
'--station=[Station id written into reports \[default\: from the config file\]]:ID:_default' \
'--jobs=[Devices at once, as \`batch --jobs\` (1–256)]:N:_default' \
'--timeout-ms=[Answer-time slack in milliseconds, as \`--timeout-ms\` (0–60000)]:MS:_default' \
'--report-dir=[Report directory, as \`--report-dir\`]:DIR:_files' \
'--json[Print JSON on stdout instead of a table]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(path)
_arguments "${_arguments_options[@]}" : \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_pawdiag__subcmd__config__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-config-help-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(path)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(doctor)
_arguments "${_arguments_options[@]}" : \
'--timeout=[How long to listen for Bluetooth devices, in seconds]:TIMEOUT:_default' \
'--json[Print JSON on stdout instead of tables]' \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':shell -- The shell:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
'*-v[More detail on stderr (repeat for the protocol transcript)]' \
'*--verbose[More detail on stderr (repeat for the protocol transcript)]' \
'-q[Only errors on stderr]' \
'--quiet[Only errors on stderr]' \
'--no-color[Never use colour (also honoured\: the NO_COLOR environment variable)]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':dir -- Where to write them, e.g. ~/.local/share/man/man1 (created if missing):_files' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_pawdiag__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-help-command-$line[1]:"
        case $line[1] in
            (guide)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(diagnose)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(info)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(scan)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(watch)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(batch)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(report)
_arguments "${_arguments_options[@]}" : \
":: :_pawdiag__subcmd__help__subcmd__report_commands" \
"*::: :->report" \
&& ret=0

    case $state in
    (report)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-help-report-command-$line[1]:"
        case $line[1] in
            (render)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(upload)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(share)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(flows)
_arguments "${_arguments_options[@]}" : \
":: :_pawdiag__subcmd__help__subcmd__flows_commands" \
"*::: :->flows" \
&& ret=0

    case $state in
    (flows)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-help-flows-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(graph)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(lint)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(test)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(probes)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(sim)
_arguments "${_arguments_options[@]}" : \
":: :_pawdiag__subcmd__help__subcmd__sim_commands" \
"*::: :->sim" \
&& ret=0

    case $state in
    (sim)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-help-sim-command-$line[1]:"
        case $line[1] in
            (faults)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(config)
_arguments "${_arguments_options[@]}" : \
":: :_pawdiag__subcmd__help__subcmd__config_commands" \
"*::: :->config" \
&& ret=0

    case $state in
    (config)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:pawdiag-help-config-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(path)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(doctor)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_pawdiag_commands] )) ||
_pawdiag_commands() {
    local commands; commands=(
'guide:Check your device step by step, in plain words (for pet owners)' \
'diagnose:Walk a troubleshooting flow with a device (or, without --flow, run every automatic check for the bench) and write a report' \
'info:Show a device'\''s identity, firmware, battery, self-test and status' \
'scan:List PawCore devices over USB and Bluetooth LE' \
'watch:Show a device'\''s live state (battery, GPS, sensors, LEDs), refreshed about once a second until Ctrl-C' \
'batch:Run many devices from a manifest (a returns centre)\: one report per device, JSON Lines on stdout, a summary table on stderr' \
'report:Re-render or verify a saved diagnostic report' \
'flows:Troubleshooting flows\: list, show, graph, lint, test' \
'sim:Run the simulator\: list its faults or serve simulated devices' \
'config:Show the settings in force and where the config file is' \
'doctor:Check this computer\: serial ports and permissions, the Bluetooth adapter (on Linux also ModemManager, D-Bus, BlueZ and rfkill), the config file, the reports directory and the helpdesk. Exit 0 when nothing blocks pawdiag, 3 otherwise' \
'completions:Print shell completions' \
'man:Write man pages (pawdiag.1 and one per subcommand) into a directory' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__batch_commands] )) ||
_pawdiag__subcmd__batch_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag batch commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__completions_commands] )) ||
_pawdiag__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag completions commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__config_commands] )) ||
_pawdiag__subcmd__config_commands() {
    local commands; commands=(
'show:Show the settings in force and where each one came from (built-in default, config file, environment variable or flag)' \
'path:Print where the config file is (it need not exist yet)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag config commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__config__subcmd__help_commands] )) ||
_pawdiag__subcmd__config__subcmd__help_commands() {
    local commands; commands=(
'show:Show the settings in force and where each one came from (built-in default, config file, environment variable or flag)' \
'path:Print where the config file is (it need not exist yet)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag config help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__config__subcmd__help__subcmd__help_commands] )) ||
_pawdiag__subcmd__config__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag config help help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__config__subcmd__help__subcmd__path_commands] )) ||
_pawdiag__subcmd__config__subcmd__help__subcmd__path_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag config help path commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__config__subcmd__help__subcmd__show_commands] )) ||
_pawdiag__subcmd__config__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag config help show commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__config__subcmd__path_commands] )) ||
_pawdiag__subcmd__config__subcmd__path_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag config path commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__config__subcmd__show_commands] )) ||
_pawdiag__subcmd__config__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag config show commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__diagnose_commands] )) ||
_pawdiag__subcmd__diagnose_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag diagnose commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__doctor_commands] )) ||
_pawdiag__subcmd__doctor_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag doctor commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows_commands] )) ||
_pawdiag__subcmd__flows_commands() {
    local commands; commands=(
'list:List the troubleshooting flows' \
'show:Show a flow as a readable outline\: steps, what is checked or asked, and where each answer leads' \
'graph:Draw a flow as a Mermaid or Graphviz graph' \
'lint:Check flow files for mistakes (prints file\:line\:col\: message)' \
'test:Run the scenario tests against the simulator and report node coverage (or, with --recordings, replay real sessions and list changed verdicts)' \
'probes:List the facts (probes) flows can check' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag flows commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__graph_commands] )) ||
_pawdiag__subcmd__flows__subcmd__graph_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows graph commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__help_commands] )) ||
_pawdiag__subcmd__flows__subcmd__help_commands() {
    local commands; commands=(
'list:List the troubleshooting flows' \
'show:Show a flow as a readable outline\: steps, what is checked or asked, and where each answer leads' \
'graph:Draw a flow as a Mermaid or Graphviz graph' \
'lint:Check flow files for mistakes (prints file\:line\:col\: message)' \
'test:Run the scenario tests against the simulator and report node coverage (or, with --recordings, replay real sessions and list changed verdicts)' \
'probes:List the facts (probes) flows can check' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag flows help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__help__subcmd__graph_commands] )) ||
_pawdiag__subcmd__flows__subcmd__help__subcmd__graph_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows help graph commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__help__subcmd__help_commands] )) ||
_pawdiag__subcmd__flows__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows help help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__help__subcmd__lint_commands] )) ||
_pawdiag__subcmd__flows__subcmd__help__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows help lint commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__help__subcmd__list_commands] )) ||
_pawdiag__subcmd__flows__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows help list commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__help__subcmd__probes_commands] )) ||
_pawdiag__subcmd__flows__subcmd__help__subcmd__probes_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows help probes commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__help__subcmd__show_commands] )) ||
_pawdiag__subcmd__flows__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows help show commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__help__subcmd__test_commands] )) ||
_pawdiag__subcmd__flows__subcmd__help__subcmd__test_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows help test commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__lint_commands] )) ||
_pawdiag__subcmd__flows__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows lint commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__list_commands] )) ||
_pawdiag__subcmd__flows__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows list commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__probes_commands] )) ||
_pawdiag__subcmd__flows__subcmd__probes_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows probes commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__show_commands] )) ||
_pawdiag__subcmd__flows__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows show commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__flows__subcmd__test_commands] )) ||
_pawdiag__subcmd__flows__subcmd__test_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag flows test commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__guide_commands] )) ||
_pawdiag__subcmd__guide_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag guide commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help_commands] )) ||
_pawdiag__subcmd__help_commands() {
    local commands; commands=(
'guide:Check your device step by step, in plain words (for pet owners)' \
'diagnose:Walk a troubleshooting flow with a device (or, without --flow, run every automatic check for the bench) and write a report' \
'info:Show a device'\''s identity, firmware, battery, self-test and status' \
'scan:List PawCore devices over USB and Bluetooth LE' \
'watch:Show a device'\''s live state (battery, GPS, sensors, LEDs), refreshed about once a second until Ctrl-C' \
'batch:Run many devices from a manifest (a returns centre)\: one report per device, JSON Lines on stdout, a summary table on stderr' \
'report:Re-render or verify a saved diagnostic report' \
'flows:Troubleshooting flows\: list, show, graph, lint, test' \
'sim:Run the simulator\: list its faults or serve simulated devices' \
'config:Show the settings in force and where the config file is' \
'doctor:Check this computer\: serial ports and permissions, the Bluetooth adapter (on Linux also ModemManager, D-Bus, BlueZ and rfkill), the config file, the reports directory and the helpdesk. Exit 0 when nothing blocks pawdiag, 3 otherwise' \
'completions:Print shell completions' \
'man:Write man pages (pawdiag.1 and one per subcommand) into a directory' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__batch_commands] )) ||
_pawdiag__subcmd__help__subcmd__batch_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help batch commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__completions_commands] )) ||
_pawdiag__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help completions commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__config_commands] )) ||
_pawdiag__subcmd__help__subcmd__config_commands() {
    local commands; commands=(
'show:Show the settings in force and where each one came from (built-in default, config file, environment variable or flag)' \
'path:Print where the config file is (it need not exist yet)' \
    )
    _describe -t commands 'pawdiag help config commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__config__subcmd__path_commands] )) ||
_pawdiag__subcmd__help__subcmd__config__subcmd__path_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help config path commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__config__subcmd__show_commands] )) ||
_pawdiag__subcmd__help__subcmd__config__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help config show commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__diagnose_commands] )) ||
_pawdiag__subcmd__help__subcmd__diagnose_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help diagnose commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__doctor_commands] )) ||
_pawdiag__subcmd__help__subcmd__doctor_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help doctor commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__flows_commands] )) ||
_pawdiag__subcmd__help__subcmd__flows_commands() {
    local commands; commands=(
'list:List the troubleshooting flows' \
'show:Show a flow as a readable outline\: steps, what is checked or asked, and where each answer leads' \
'graph:Draw a flow as a Mermaid or Graphviz graph' \
'lint:Check flow files for mistakes (prints file\:line\:col\: message)' \
'test:Run the scenario tests against the simulator and report node coverage (or, with --recordings, replay real sessions and list changed verdicts)' \
'probes:List the facts (probes) flows can check' \
    )
    _describe -t commands 'pawdiag help flows commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__flows__subcmd__graph_commands] )) ||
_pawdiag__subcmd__help__subcmd__flows__subcmd__graph_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help flows graph commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__flows__subcmd__lint_commands] )) ||
_pawdiag__subcmd__help__subcmd__flows__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help flows lint commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__flows__subcmd__list_commands] )) ||
_pawdiag__subcmd__help__subcmd__flows__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help flows list commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__flows__subcmd__probes_commands] )) ||
_pawdiag__subcmd__help__subcmd__flows__subcmd__probes_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help flows probes commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__flows__subcmd__show_commands] )) ||
_pawdiag__subcmd__help__subcmd__flows__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help flows show commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__flows__subcmd__test_commands] )) ||
_pawdiag__subcmd__help__subcmd__flows__subcmd__test_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help flows test commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__guide_commands] )) ||
_pawdiag__subcmd__help__subcmd__guide_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help guide commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__help_commands] )) ||
_pawdiag__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__info_commands] )) ||
_pawdiag__subcmd__help__subcmd__info_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help info commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__man_commands] )) ||
_pawdiag__subcmd__help__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help man commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__report_commands] )) ||
_pawdiag__subcmd__help__subcmd__report_commands() {
    local commands; commands=(
'render:Render a saved report again, as Markdown, HTML or JSON' \
'verify:Check whether a saved report was altered (exit code 6 if it was)' \
'upload:Send saved reports to the helpdesk (Request Tracker)\: a comment on the report'\''s ticket, or a new ticket, with the JSON and HTML reports attached. A report is sent once; when the helpdesk cannot be reached the upload waits in the outbox (exit code 3) until \`--pending\` sends it' \
'diff:What changed between two reports of one device\: verdict, firmware, self-test, readings, settings, findings' \
'history:The reports of one device in the reports directory, newest first' \
'share:Write a copy to share, with only the personal data the customer consented to let leave (shows what leaves first)' \
    )
    _describe -t commands 'pawdiag help report commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__report__subcmd__diff_commands] )) ||
_pawdiag__subcmd__help__subcmd__report__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help report diff commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__report__subcmd__history_commands] )) ||
_pawdiag__subcmd__help__subcmd__report__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help report history commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__report__subcmd__render_commands] )) ||
_pawdiag__subcmd__help__subcmd__report__subcmd__render_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help report render commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__report__subcmd__share_commands] )) ||
_pawdiag__subcmd__help__subcmd__report__subcmd__share_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help report share commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__report__subcmd__upload_commands] )) ||
_pawdiag__subcmd__help__subcmd__report__subcmd__upload_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help report upload commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__report__subcmd__verify_commands] )) ||
_pawdiag__subcmd__help__subcmd__report__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help report verify commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__scan_commands] )) ||
_pawdiag__subcmd__help__subcmd__scan_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help scan commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__sim_commands] )) ||
_pawdiag__subcmd__help__subcmd__sim_commands() {
    local commands; commands=(
'faults:List the device and link faults the simulator can inject' \
'serve:Serve simulated devices on pseudo-terminals (or over a fake BlueZ) until stopped with Ctrl-C' \
    )
    _describe -t commands 'pawdiag help sim commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__sim__subcmd__faults_commands] )) ||
_pawdiag__subcmd__help__subcmd__sim__subcmd__faults_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help sim faults commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__sim__subcmd__serve_commands] )) ||
_pawdiag__subcmd__help__subcmd__sim__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help sim serve commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__help__subcmd__watch_commands] )) ||
_pawdiag__subcmd__help__subcmd__watch_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag help watch commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__info_commands] )) ||
_pawdiag__subcmd__info_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag info commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__man_commands] )) ||
_pawdiag__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag man commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report_commands] )) ||
_pawdiag__subcmd__report_commands() {
    local commands; commands=(
'render:Render a saved report again, as Markdown, HTML or JSON' \
'verify:Check whether a saved report was altered (exit code 6 if it was)' \
'upload:Send saved reports to the helpdesk (Request Tracker)\: a comment on the report'\''s ticket, or a new ticket, with the JSON and HTML reports attached. A report is sent once; when the helpdesk cannot be reached the upload waits in the outbox (exit code 3) until \`--pending\` sends it' \
'diff:What changed between two reports of one device\: verdict, firmware, self-test, readings, settings, findings' \
'history:The reports of one device in the reports directory, newest first' \
'share:Write a copy to share, with only the personal data the customer consented to let leave (shows what leaves first)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag report commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__diff_commands] )) ||
_pawdiag__subcmd__report__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report diff commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__help_commands] )) ||
_pawdiag__subcmd__report__subcmd__help_commands() {
    local commands; commands=(
'render:Render a saved report again, as Markdown, HTML or JSON' \
'verify:Check whether a saved report was altered (exit code 6 if it was)' \
'upload:Send saved reports to the helpdesk (Request Tracker)\: a comment on the report'\''s ticket, or a new ticket, with the JSON and HTML reports attached. A report is sent once; when the helpdesk cannot be reached the upload waits in the outbox (exit code 3) until \`--pending\` sends it' \
'diff:What changed between two reports of one device\: verdict, firmware, self-test, readings, settings, findings' \
'history:The reports of one device in the reports directory, newest first' \
'share:Write a copy to share, with only the personal data the customer consented to let leave (shows what leaves first)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag report help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__help__subcmd__diff_commands] )) ||
_pawdiag__subcmd__report__subcmd__help__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report help diff commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__help__subcmd__help_commands] )) ||
_pawdiag__subcmd__report__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report help help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__help__subcmd__history_commands] )) ||
_pawdiag__subcmd__report__subcmd__help__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report help history commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__help__subcmd__render_commands] )) ||
_pawdiag__subcmd__report__subcmd__help__subcmd__render_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report help render commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__help__subcmd__share_commands] )) ||
_pawdiag__subcmd__report__subcmd__help__subcmd__share_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report help share commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__help__subcmd__upload_commands] )) ||
_pawdiag__subcmd__report__subcmd__help__subcmd__upload_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report help upload commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__help__subcmd__verify_commands] )) ||
_pawdiag__subcmd__report__subcmd__help__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report help verify commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__history_commands] )) ||
_pawdiag__subcmd__report__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report history commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__render_commands] )) ||
_pawdiag__subcmd__report__subcmd__render_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report render commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__share_commands] )) ||
_pawdiag__subcmd__report__subcmd__share_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report share commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__upload_commands] )) ||
_pawdiag__subcmd__report__subcmd__upload_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report upload commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__report__subcmd__verify_commands] )) ||
_pawdiag__subcmd__report__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag report verify commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__scan_commands] )) ||
_pawdiag__subcmd__scan_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag scan commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__sim_commands] )) ||
_pawdiag__subcmd__sim_commands() {
    local commands; commands=(
'faults:List the device and link faults the simulator can inject' \
'serve:Serve simulated devices on pseudo-terminals (or over a fake BlueZ) until stopped with Ctrl-C' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag sim commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__sim__subcmd__faults_commands] )) ||
_pawdiag__subcmd__sim__subcmd__faults_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag sim faults commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__sim__subcmd__help_commands] )) ||
_pawdiag__subcmd__sim__subcmd__help_commands() {
    local commands; commands=(
'faults:List the device and link faults the simulator can inject' \
'serve:Serve simulated devices on pseudo-terminals (or over a fake BlueZ) until stopped with Ctrl-C' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'pawdiag sim help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__sim__subcmd__help__subcmd__faults_commands] )) ||
_pawdiag__subcmd__sim__subcmd__help__subcmd__faults_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag sim help faults commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__sim__subcmd__help__subcmd__help_commands] )) ||
_pawdiag__subcmd__sim__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag sim help help commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__sim__subcmd__help__subcmd__serve_commands] )) ||
_pawdiag__subcmd__sim__subcmd__help__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag sim help serve commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__sim__subcmd__serve_commands] )) ||
_pawdiag__subcmd__sim__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag sim serve commands' commands "$@"
}
(( $+functions[_pawdiag__subcmd__watch_commands] )) ||
_pawdiag__subcmd__watch_commands() {
    local commands; commands=()
    _describe -t commands 'pawdiag watch commands' commands "$@"
}

if [ "$funcstack[1]" = "_pawdiag" ]; then
    _pawdiag "$@"
else
    compdef _pawdiag pawdiag
fi
