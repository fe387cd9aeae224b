# The build stage's tools from Debian's packages: a JDK 17, Maven and gcc (the test guest's build).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven gcc libc6-dev ca-certificates \
    && rm -rf /var/lib/apt/lists/*
