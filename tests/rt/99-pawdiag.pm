# Request Tracker settings for pawdiag's helpdesk tests and
# scripts/bench-upload.sh: a throwaway RT on 127.0.0.1, read from a
# RT_SITE_CONFIG_DIR of its own (nothing under /etc is used or changed).
# RT_DB_FILE and RT_PORT come from the environment of each run.
Set($DatabaseType, 'SQLite');
Set($DatabaseName, $ENV{RT_DB_FILE});
Set($WebDomain, '127.0.0.1');
Set($WebPort, $ENV{RT_PORT});
Set($WebBaseURL, "http://127.0.0.1:$ENV{RT_PORT}");
# The API at /REST/2.0 rather than Debian's /rt/REST/2.0.
Set($WebPath, '');
# Set before the database is made: each authenticated call then costs
# about 8 ms instead of 330 ms (bcrypt runs on every request).
Set($BcryptCost, 4);
Set($LogToSyslog, undef);
Set($LogToSTDERR, 'warning');
Set($rtname, 'pawdiag-test');
1;
