# syntax=docker/dockerfile:1
# The silo image. Build from the repository root:
#   docker build -f infra/docker/silo.Dockerfile -t orleansnodes-silo .
# The default profile is still embedded (one silo, SQLite in /home/app/data); clusters set
# ORLEANSNODES__STORAGE=redis|azure (infra/docker/compose.yaml, infra/kubernetes, infra/azure).

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /source
# Project files first, so the restore layer is reused until a dependency changes.
# Every project the silo references, transitively (tests/OrleansNodes.Infra.Tests checks the list).
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/OrleansNodes.Core/OrleansNodes.Core.csproj src/OrleansNodes.Core/
COPY src/OrleansNodes.Protocols/OrleansNodes.Protocols.csproj src/OrleansNodes.Protocols/
COPY src/OrleansNodes.Hosting/OrleansNodes.Hosting.csproj src/OrleansNodes.Hosting/
COPY src/OrleansNodes.Storage.Redis/OrleansNodes.Storage.Redis.csproj src/OrleansNodes.Storage.Redis/
COPY src/OrleansNodes.Storage.Azure/OrleansNodes.Storage.Azure.csproj src/OrleansNodes.Storage.Azure/
COPY silo/OrleansNodes.Silo.csproj silo/
RUN dotnet restore silo/OrleansNodes.Silo.csproj
COPY src/ src/
COPY silo/ silo/
RUN dotnet publish silo/OrleansNodes.Silo.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}
WORKDIR /app
COPY --from=build /app ./
COPY --chmod=755 infra/docker/silo-entrypoint.sh infra/docker/silo-healthcheck.sh /usr/local/bin/
# Inside a container the dashboard, /status and the health checks must be reachable from
# outside, so the silo listens on every interface; it then refuses to start without
# ORLEANSNODES__DASHBOARD__USERNAME and ORLEANSNODES__DASHBOARD__PASSWORD.
# ASPNETCORE_HTTP_PORTS is cleared because the silo binds through ORLEANSNODES__URL.
ENV ORLEANSNODES__URL=http://0.0.0.0:8080 \
    ORLEANSNODES__DATAPATH=/home/app/data \
    ASPNETCORE_HTTP_PORTS=
# Silo-to-silo, client gateway, HTTP (dashboard, /status, /healthz/*).
EXPOSE 11111 30000 8080
# The images' unprivileged user (UID 1654), numeric so Kubernetes' runAsNonRoot can verify it.
USER $APP_UID
# The image has neither curl nor wget: the check is a plain HTTP/1.1 request over bash's
# /dev/tcp, so nothing is installed and the probe does not depend on the silo's own code.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["/usr/local/bin/silo-healthcheck.sh"]
# The entrypoint derives ORLEANSNODES__ADVERTISEDADDRESS from the container's own IP when a
# clustered profile needs one; arguments given to `docker run` are appended as silo switches.
ENTRYPOINT ["/usr/local/bin/silo-entrypoint.sh", "dotnet", "/app/orleansnodes-silo.dll"]
