#!/bin/sh
# daemonising_wrapper.sh PIDFILE COMMAND...: starts COMMAND as a daemon — in a session and a
# process group of its own, no longer a child of this script — writes its process id to PIDFILE
# and ends, as init scripts and vendors' launchers do. (setsid(1), util-linux.)
pidfile=$1
shift
setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" </dev/null &
exit 0
