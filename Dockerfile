# A Debian 12 runtime image of twincert whose entry point is `twincert worker`: start as many
# containers as you like against one Redis (docs/formats/queue.md). Built from the source tree:
#
#   docker build -t twincert .
#   docker run --rm --network host -e TWINCERT_REDIS_PASSWORD twincert \
#       --queue redis://127.0.0.1:6379 --jobs 2
#
# The campaign files a run names must be readable at the same path in the container: the
# installed ones under /usr/share/twincert are, others can be mounted (-v /srv/campaigns:/srv/campaigns:ro).
# A Redis on another host needs --allow-external (and credentials, and a private network).
# tests/cli/dockerfile_check.sh checks these commands against the install layout.

FROM debian:12 AS build
COPY . /src
WORKDIR /src
# The release preset builds the tools only; cpack makes the .deb whose dependencies
# dpkg-shlibdeps found, so the runtime stage installs exactly the shared libraries it needs.
RUN scripts/install-deps \
 && cmake --preset release \
 && cmake --build --preset release \
 && cd build/release \
 && cpack -G DEB \
 && mv twincert_*.deb /twincert.deb

FROM debian:12-slim
COPY --from=build /twincert.deb /tmp/twincert.deb
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/twincert.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/twincert.deb \
 && useradd --system --create-home --home-dir /home/twincert twincert
USER twincert
WORKDIR /home/twincert
ENTRYPOINT ["/usr/bin/twincert", "worker"]
CMD ["--help"]
