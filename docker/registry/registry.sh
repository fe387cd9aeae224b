#!/bin/sh
# Apicurio Registry (in memory) from its Maven artifact, serving the Confluent Schema Registry API at
# /apis/ccompat/v7 on port 8081 (REGISTRY_PORT).
set -eu
exec java ${JAVA_OPTS:--Xmx384m} -Dquarkus.http.host=0.0.0.0 -Dquarkus.http.port="${REGISTRY_PORT:-8081}" \
  -Dquarkus.log.category.\"io.quarkus.vertx.http.runtime.filters.accesslog\".level=WARN \
  -jar /opt/registry/*-runner.jar
