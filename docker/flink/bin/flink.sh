#!/bin/sh
# Starts a Flink JobManager in application mode (standalone-job --job-classname CLASS) or a
# TaskManager (taskmanager), as Flink's own image does, from the jars of Flink's Maven artifacts in
# /opt/flink/lib and the job's jar in /opt/flink/usrlib. FLINK_PROPERTIES
# (one `key: value` per line) adds to conf/config.yaml; the JVM is sized from it as Flink's own
# scripts do (jobmanager.memory.process.size, taskmanager.memory.process.size); JAVA_OPTS adds options.
set -eu
home=/opt/flink
conf=$(mktemp -d)
cp "$home/conf/"* "$conf/"
if [ -n "${FLINK_PROPERTIES:-}" ]; then
  printf '%s\n' "$FLINK_PROPERTIES" >>"$conf/config.yaml"
fi
export FLINK_HOME=$home FLINK_CONF_DIR=$conf FLINK_LIB_DIR=$home/lib
role=${1:-}
[ $# -gt 0 ] && shift
case "$role" in
  standalone-job)
    main=org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint
    resources=GET_JM_RESOURCE_PARAMS ;;
  taskmanager)
    main=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
    resources=GET_TM_RESOURCE_PARAMS ;;
  *)
    echo "usage: flink.sh standalone-job|taskmanager [Flink options]" >&2
    exit 2 ;;
esac
# The memory options of the JVM (first line) and the sizes they imply (second), as Flink computes them.
sizes=$(java -cp "$home/lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$resources" --configDir "$conf" \
  | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')
jvm_memory=$(printf '%s\n' "$sizes" | sed -n 1p)
dynamic=$(printf '%s\n' "$sizes" | sed -n 2p)
# The job jar stays in usrlib, off the system class path: Flink loads it in the job's own class loader.
# shellcheck disable=SC2046,SC2086 # each holds options, one per word
exec java $jvm_memory $(cat "$home/jvm.options") ${JAVA_OPTS:-} -Dlog4j.configurationFile="$conf/log4j2.properties" \
  -cp "$home/lib/*" "$main" --configDir "$conf" $dynamic "$@"
