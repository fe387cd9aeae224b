#!/bin/sh
# One KRaft node, broker and controller, from Kafka's Maven artifacts, listening on loopback
# (docker-compose.local.yml runs it on the host's network). Formats its log directory on first start.
set -eu
data=/var/lib/kafka
mkdir -p "$data"
cat >"$data/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
CONF
cp=/opt/kafka/libs/*
if [ ! -f "$data/data/meta.properties" ]; then
  java -cp "$cp" kafka.tools.StorageTool format -t "${CLUSTER_ID:-cmVzaGFwZS1jb21wb3NlMQ}" -c "$data/server.properties"
fi
exec java ${JAVA_OPTS:--Xmx512m} -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties -cp "$cp" kafka.Kafka "$data/server.properties"
