# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pawdiag_global_optspecs
    string join \n v/verbose q/quiet no-color h/help V/version
end

function __fish_pawdiag_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pawdiag_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pawdiag_using_subcommand
    set -l cmd (__fish_pawdiag_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pawdiag -n "__fish_pawdiag_needs_command" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "guide" -d 'Check your device step by step, in plain words (for pet owners)'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "diagnose" -d 'Walk a troubleshooting flow with a device (or, without --flow, run every automatic check for the bench) and write a report'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "info" -d 'Show a device\'s identity, firmware, battery, self-test and status'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "scan" -d 'List PawCore devices over USB and Bluetooth LE'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "watch" -d 'Show a device\'s live state (battery, GPS, sensors, LEDs), refreshed about once a second until Ctrl-C'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "batch" -d 'Run many devices from a manifest (a returns centre): one report per device, JSON Lines on stdout, a summary table on stderr'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "report" -d 'Re-render or verify a saved diagnostic report'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "flows" -d 'Troubleshooting flows: list, show, graph, lint, test'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "sim" -d 'Run the simulator: list its faults or serve simulated devices'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "config" -d 'Show the settings in force and where the config file is'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "doctor" -d 'Check this computer: serial ports and permissions, the Bluetooth adapter (on Linux also ModemManager, D-Bus, BlueZ and rfkill), the config file, the reports directory and the helpdesk. Exit 0 when nothing blocks pawdiag, 3 otherwise'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "man" -d 'Write man pages (pawdiag.1 and one per subcommand) into a directory'
complete -c pawdiag -n "__fish_pawdiag_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand guide" -l report-dir -d 'Where to save the report [default: the config file\'s report_dir]' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand guide" -l flows -d 'Flow files overriding the built-in ones (for support staff)' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand guide" -l resume -d 'Continue the check that was stopped last time, without asking'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand guide" -l fresh -d 'Start a new check, forgetting one that was stopped'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand guide" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand guide" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand guide" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand guide" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand guide" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l timeout-ms -d 'Extra time allowed per answer, in milliseconds (0–60000), on top of the interface\'s answer times and the wire time [default: from the config file, else 250]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l baud -d 'Serial baud rate (300–4000000)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l max-in-flight -d 'Requests in flight at once (1–4). 1 sends strictly one at a time, for firmware that misbehaves with pipelining, and for benchmarks' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l jobs -d 'Devices diagnosed at once when several are given (1–256)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l flow -d 'The troubleshooting flow to walk, e.g. pettracker/gps-not-working, or just gps-not-working for the device\'s own model\'s (`pawdiag flows list`). Without it: every automatic check of every flow of the device\'s model (the bench sweep)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l answers -d 'Answers for the flow\'s questions, consents and actions (TOML or JSON: node id = value). Unanswered questions take the flow\'s "unknown" branch' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l flows -d 'Use the flows in this directory instead of (or on top of) the built-in ones' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l audience -d 'Who reads the output: technician (verdict, codes, readings, findings) or customer (plain words to read aloud) [default: from the config file, else technician]' -r -f -a "technician\t''
customer\t''"
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l technician -d 'Technician name written into reports [default: from the config file]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l station -d 'Station id written into reports [default: from the config file]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l record -d 'Record every line to and from the device, with its timing, to FILE (JSON Lines). The recording is NOT redacted: it is created readable by you only and never attached to a report. Replay it with `pawdiag diagnose replay:FILE`' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l continue -d 'Continue the session of an earlier report of this device (a customer\'s `guide` report, an incomplete bench session): its answers, consents and performed actions are reused, not asked again (the device re-checks what depends on time or place), and the new report links to it and says what changed on the device since' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l report -d 'Write the report here; the format follows the extension (.json, .md, .html). Default: a JSON file in the per-user reports directory (override with PAWDIAG_REPORT_DIR)' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l report-format -d 'Report format, when the file name does not say' -r -f -a "json\t'The JSON report (the one that is verified)'
md\t'Markdown, to paste into a ticket'
html\t'One self-contained HTML file'"
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l customer -d 'The customer\'s name, for the report' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l email -d 'The customer\'s e-mail (masked in the report unless --include-personal-data)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l phone -d 'The customer\'s phone (masked in the report unless --include-personal-data)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l ticket -d 'The support ticket this session belongs to' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l note -d 'A note for the report: history, what the customer said (repeatable)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l helpdesk -d 'The helpdesk\'s address, with --upload [default: helpdesk_url from the config file, or PAWDIAG_HELPDESK_URL]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l queue -d 'The queue for new tickets, with --upload [default: helpdesk_queue from the config file, else General]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l non-interactive -d 'Never prompt (pick no device from a list, ask nothing); several devices for `auto` is then an error listing them'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l include-personal-data -d 'Keep GPS positions, geofence names and contact details in the report as they are (they are coarsened or masked by default)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l upload -d 'Send each report to the helpdesk as soon as it is written: a comment on its ticket when the ticket is a number, else a new ticket (see `pawdiag report upload`)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand diagnose" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -l timeout-ms -d 'Extra time allowed per answer, in milliseconds (0–60000), on top of the interface\'s answer times and the wire time [default: from the config file, else 250]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -l baud -d 'Serial baud rate (300–4000000)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -l max-in-flight -d 'Requests in flight at once (1–4). 1 sends strictly one at a time, for firmware that misbehaves with pipelining, and for benchmarks' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -l non-interactive -d 'Never prompt (pick no device from a list, ask nothing); several devices for `auto` is then an error listing them'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -l no-selftest -d 'Skip the self-test (it takes up to 5 seconds)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -l include-personal-data -d 'Show the pet\'s location and geofence names as the device reports them (by default coordinates are rounded to about 1 km and names hidden)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand info" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand scan" -l timeout -d 'How long to listen for Bluetooth devices, in seconds (0.5–300)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand scan" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand scan" -l all -d 'Also list devices that are not PawCore devices (Bluetooth)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand scan" -l no-ble -d 'Skip Bluetooth; list USB serial devices only'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand scan" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand scan" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand scan" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand scan" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand scan" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -l timeout-ms -d 'Extra time allowed per answer, in milliseconds (0–60000), on top of the interface\'s answer times and the wire time [default: from the config file, else 250]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -l baud -d 'Serial baud rate (300–4000000)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -l max-in-flight -d 'Requests in flight at once (1–4). 1 sends strictly one at a time, for firmware that misbehaves with pipelining, and for benchmarks' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -l count -d 'Stop after this many refreshes (default: until Ctrl-C)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -l interval-ms -d 'Time between refreshes, in milliseconds' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -l non-interactive -d 'Never prompt (pick no device from a list, ask nothing); several devices for `auto` is then an error listing them'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -l include-personal-data -d 'Show the pet\'s location as the device reports it (by default coordinates are rounded to about 1 km)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand watch" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -s j -l jobs -d 'Devices run at once (1–256) [default: from the config file, else 8]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l out -d 'Directory for the reports, one per device [default: the config file\'s report_dir]' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l timeout-ms -d 'Extra time allowed per answer, in milliseconds (0–60000) [default: from the config file, else 250]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l baud -d 'Serial baud rate (300–4000000)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l flows -d 'Flow files overriding the built-in ones (a directory like `flows/`)' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l technician -d 'Technician name written into reports [default: from the config file]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l station -d 'Station id written into reports [default: from the config file]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l helpdesk -d 'The helpdesk\'s address, with --upload [default: helpdesk_url from the config file, or PAWDIAG_HELPDESK_URL]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l queue -d 'The queue for new tickets, with --upload [default: helpdesk_queue from the config file, else General]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l resume -d 'Skip devices whose finished report is already in --out (after an interrupted run), known by serial number and flow, not by port'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l include-personal-data -d 'Keep the pet\'s location and geofence names in the reports (by default coordinates are rounded to about 1 km and names hidden)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l upload -d 'Send each report to the helpdesk as soon as it is written: a comment on its ticket when the ticket is a number, else a new ticket (see `pawdiag report upload`)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand batch" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -f -a "render" -d 'Render a saved report again, as Markdown, HTML or JSON'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -f -a "verify" -d 'Check whether a saved report was altered (exit code 6 if it was)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -f -a "upload" -d 'Send saved reports to the helpdesk (Request Tracker): a comment on the report\'s ticket, or a new ticket, with the JSON and HTML reports attached. A report is sent once; when the helpdesk cannot be reached the upload waits in the outbox (exit code 3) until `--pending` sends it'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -f -a "diff" -d 'What changed between two reports of one device: verdict, firmware, self-test, readings, settings, findings'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -f -a "history" -d 'The reports of one device in the reports directory, newest first'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -f -a "share" -d 'Write a copy to share, with only the personal data the customer consented to let leave (shows what leaves first)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and not __fish_seen_subcommand_from render verify upload diff history share help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from render" -l format -d 'Output format (default: from the extension of -o, else Markdown)' -r -f -a "json\t'The JSON report (the one that is verified)'
md\t'Markdown, to paste into a ticket'
html\t'One self-contained HTML file'"
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from render" -s o -l output -d 'Write here (atomically) instead of to stdout' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from render" -l force -d 'Render even if the report fails verification'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from render" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from render" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from render" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from render" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from verify" -l json -d 'Print the result as JSON'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from verify" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -l ticket -d 'Add the reports to this ticket as a comment [default: the report\'s own ticket when it is a number, else a new ticket]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -l queue -d 'Open a new ticket in this queue, even when the report names a ticket [default: helpdesk_queue from the config file, else General]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -l helpdesk -d 'The helpdesk\'s address [default: helpdesk_url from the config file, or PAWDIAG_HELPDESK_URL]. Credentials come from the environment: PAWDIAG_HELPDESK_TOKEN, or PAWDIAG_HELPDESK_USER and PAWDIAG_HELPDESK_PASSWORD' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -l pending -d 'Send the uploads waiting in the outbox, oldest first'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -l json -d 'Print one JSON line per report on stdout'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from upload" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from diff" -l force -d 'Compare even if the reports are of different devices, or do not verify'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from diff" -l json -d 'Print the changes as JSON'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from diff" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from history" -l dir -d 'The reports directory [default: the configured one, see `pawdiag config show`]' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from history" -l json -d 'Print the list as JSON'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from history" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from history" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from share" -l out -d 'Where to write the copy; its extension picks the format (.json, .md, .html)' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from share" -l include -d 'Personal data the customer consented to let leave, comma-separated. Everything else is coarsened, hidden or masked in the copy' -r -f -a "location\t'The pet\'s exact GPS position'
geofences\t'Geofence names'
contact\t'The customer\'s name, e-mail addresses and phone numbers'"
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from share" -l dry-run -d 'Only show what would leave; write nothing'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from share" -l json -d 'Print the preview (and where the copy went) as JSON'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from share" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from share" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from share" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from share" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from share" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "render" -d 'Render a saved report again, as Markdown, HTML or JSON'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check whether a saved report was altered (exit code 6 if it was)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "upload" -d 'Send saved reports to the helpdesk (Request Tracker): a comment on the report\'s ticket, or a new ticket, with the JSON and HTML reports attached. A report is sent once; when the helpdesk cannot be reached the upload waits in the outbox (exit code 3) until `--pending` sends it'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "diff" -d 'What changed between two reports of one device: verdict, firmware, self-test, readings, settings, findings'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "history" -d 'The reports of one device in the reports directory, newest first'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "share" -d 'Write a copy to share, with only the personal data the customer consented to let leave (shows what leaves first)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -f -a "list" -d 'List the troubleshooting flows'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -f -a "show" -d 'Show a flow as a readable outline: steps, what is checked or asked, and where each answer leads'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -f -a "graph" -d 'Draw a flow as a Mermaid or Graphviz graph'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -f -a "lint" -d 'Check flow files for mistakes (prints file:line:col: message)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -f -a "test" -d 'Run the scenario tests against the simulator and report node coverage (or, with --recordings, replay real sessions and list changed verdicts)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -f -a "probes" -d 'List the facts (probes) flows can check'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and not __fish_seen_subcommand_from list show graph lint test probes help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from list" -l model -d 'Only the flows of this model' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from list" -l flows -d 'Use the flows in DIR (files there replace the built-in ones with the same path; others are added)' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from list" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from list" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from show" -l flows -d 'Use the flows in DIR (files there replace the built-in ones with the same path; others are added)' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from show" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from graph" -l format -d 'Output format' -r -f -a "mermaid\t'Mermaid flowchart (renders on GitHub and in many editors)'
dot\t'Graphviz DOT (`dot -Tsvg`)'"
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from graph" -l flows -d 'Use the flows in DIR (files there replace the built-in ones with the same path; others are added)' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from graph" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from graph" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from graph" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from graph" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from graph" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from lint" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from lint" -l strict -d 'Also fail (exit 2) on warnings'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from lint" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from lint" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from lint" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from lint" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from test" -l filter -d 'Only scenarios whose name contains this text' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from test" -l jobs -d 'Scenarios run at once (1–32)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from test" -l recordings -d 'Instead of the scenarios: replay every recording (`--record`) and report in DIR against the flows, with their recorded replies, and list the verdicts that changed (exit 4 if any did)' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from test" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from test" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from test" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from probes" -l model -d 'Only the probes of this model' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from probes" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from probes" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from probes" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from probes" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from probes" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from probes" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the troubleshooting flows'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a flow as a readable outline: steps, what is checked or asked, and where each answer leads'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from help" -f -a "graph" -d 'Draw a flow as a Mermaid or Graphviz graph'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Check flow files for mistakes (prints file:line:col: message)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from help" -f -a "test" -d 'Run the scenario tests against the simulator and report node coverage (or, with --recordings, replay real sessions and list changed verdicts)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from help" -f -a "probes" -d 'List the facts (probes) flows can check'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand flows; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and not __fish_seen_subcommand_from faults serve help" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and not __fish_seen_subcommand_from faults serve help" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and not __fish_seen_subcommand_from faults serve help" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and not __fish_seen_subcommand_from faults serve help" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and not __fish_seen_subcommand_from faults serve help" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and not __fish_seen_subcommand_from faults serve help" -f -a "faults" -d 'List the device and link faults the simulator can inject'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and not __fish_seen_subcommand_from faults serve help" -f -a "serve" -d 'Serve simulated devices on pseudo-terminals (or over a fake BlueZ) until stopped with Ctrl-C'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and not __fish_seen_subcommand_from faults serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from faults" -l model -d 'Only the faults of this model' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from faults" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from faults" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from faults" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from faults" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from faults" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from faults" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l model -d 'pettracker, healthmonitor or smartcollar' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l fault -d 'Device faults, comma-separated (see `pawdiag sim faults`)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l link -d 'Link faults, comma-separated (corrupt, drop, slow, busy, silent, …)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l baud -d 'Pace output at this baud rate (300–4000000), as a real USB serial device would' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l count -d 'How many devices to serve (1–256; serials count up)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l serial -d 'Serial number of the first device' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l fw -d 'Firmware version to report' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l bluez -d 'Fake-BlueZ knobs with --ble, comma-separated: no-adapter, rfkill, powered-off, in-progress-once, abort-once, slow-connect, connect-fails, cached-away, heart-rate-strap, mtu-23' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l ble -d 'Serve over a BlueZ-compatible D-Bus service instead of pseudo-terminals'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "faults" -d 'List the device and link faults the simulator can inject'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Serve simulated devices on pseudo-terminals (or over a fake BlueZ) until stopped with Ctrl-C'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and not __fish_seen_subcommand_from show path help" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and not __fish_seen_subcommand_from show path help" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and not __fish_seen_subcommand_from show path help" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and not __fish_seen_subcommand_from show path help" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and not __fish_seen_subcommand_from show path help" -f -a "show" -d 'Show the settings in force and where each one came from (built-in default, config file, environment variable or flag)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and not __fish_seen_subcommand_from show path help" -f -a "path" -d 'Print where the config file is (it need not exist yet)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and not __fish_seen_subcommand_from show path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -l audience -d 'Who reads the output: technician (verdict, codes, readings, findings) or customer (plain words to read aloud) [default: from the config file, else technician]' -r -f -a "technician\t''
customer\t''"
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -l technician -d 'Technician name written into reports [default: from the config file]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -l station -d 'Station id written into reports [default: from the config file]' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -l jobs -d 'Devices at once, as `batch --jobs` (1–256)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout-ms -d 'Answer-time slack in milliseconds, as `--timeout-ms` (0–60000)' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -l report-dir -d 'Report directory, as `--report-dir`' -r -F
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Print JSON on stdout instead of a table'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from path" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the settings in force and where each one came from (built-in default, config file, environment variable or flag)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print where the config file is (it need not exist yet)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand doctor" -l timeout -d 'How long to listen for Bluetooth devices, in seconds' -r
complete -c pawdiag -n "__fish_pawdiag_using_subcommand doctor" -l json -d 'Print JSON on stdout instead of tables'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand doctor" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand doctor" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand doctor" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand completions" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand completions" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand completions" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand completions" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand man" -s v -l verbose -d 'More detail on stderr (repeat for the protocol transcript)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand man" -s q -l quiet -d 'Only errors on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand man" -l no-color -d 'Never use colour (also honoured: the NO_COLOR environment variable)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand man" -s h -l help -d 'Print help'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand man" -s V -l version -d 'Print version'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "guide" -d 'Check your device step by step, in plain words (for pet owners)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "diagnose" -d 'Walk a troubleshooting flow with a device (or, without --flow, run every automatic check for the bench) and write a report'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "info" -d 'Show a device\'s identity, firmware, battery, self-test and status'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "scan" -d 'List PawCore devices over USB and Bluetooth LE'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "watch" -d 'Show a device\'s live state (battery, GPS, sensors, LEDs), refreshed about once a second until Ctrl-C'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "batch" -d 'Run many devices from a manifest (a returns centre): one report per device, JSON Lines on stdout, a summary table on stderr'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "report" -d 'Re-render or verify a saved diagnostic report'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "flows" -d 'Troubleshooting flows: list, show, graph, lint, test'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "sim" -d 'Run the simulator: list its faults or serve simulated devices'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "config" -d 'Show the settings in force and where the config file is'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "doctor" -d 'Check this computer: serial ports and permissions, the Bluetooth adapter (on Linux also ModemManager, D-Bus, BlueZ and rfkill), the config file, the reports directory and the helpdesk. Exit 0 when nothing blocks pawdiag, 3 otherwise'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "completions" -d 'Print shell completions'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "man" -d 'Write man pages (pawdiag.1 and one per subcommand) into a directory'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and not __fish_seen_subcommand_from guide diagnose info scan watch batch report flows sim config doctor completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "render" -d 'Render a saved report again, as Markdown, HTML or JSON'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "verify" -d 'Check whether a saved report was altered (exit code 6 if it was)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "upload" -d 'Send saved reports to the helpdesk (Request Tracker): a comment on the report\'s ticket, or a new ticket, with the JSON and HTML reports attached. A report is sent once; when the helpdesk cannot be reached the upload waits in the outbox (exit code 3) until `--pending` sends it'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "diff" -d 'What changed between two reports of one device: verdict, firmware, self-test, readings, settings, findings'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "history" -d 'The reports of one device in the reports directory, newest first'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "share" -d 'Write a copy to share, with only the personal data the customer consented to let leave (shows what leaves first)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from flows" -f -a "list" -d 'List the troubleshooting flows'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from flows" -f -a "show" -d 'Show a flow as a readable outline: steps, what is checked or asked, and where each answer leads'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from flows" -f -a "graph" -d 'Draw a flow as a Mermaid or Graphviz graph'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from flows" -f -a "lint" -d 'Check flow files for mistakes (prints file:line:col: message)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from flows" -f -a "test" -d 'Run the scenario tests against the simulator and report node coverage (or, with --recordings, replay real sessions and list changed verdicts)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from flows" -f -a "probes" -d 'List the facts (probes) flows can check'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from sim" -f -a "faults" -d 'List the device and link faults the simulator can inject'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from sim" -f -a "serve" -d 'Serve simulated devices on pseudo-terminals (or over a fake BlueZ) until stopped with Ctrl-C'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show the settings in force and where each one came from (built-in default, config file, environment variable or flag)'
complete -c pawdiag -n "__fish_pawdiag_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print where the config file is (it need not exist yet)'
