# A Java 17 runtime from Debian's packages, for the images of docker-compose.local.yml.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
