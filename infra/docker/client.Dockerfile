# syntax=docker/dockerfile:1
# The console image. Build from the repository root:
#   docker build -f infra/docker/client.Dockerfile -t orleansnodes .
#   docker run --rm orleansnodes sim kv
#   docker run --rm --network NETWORK orleansnodes kv put greeting hello --gateway silo1:30000

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /source
# Every project the console references, transitively (tests/OrleansNodes.Infra.Tests checks the list).
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/OrleansNodes.Core/OrleansNodes.Core.csproj src/OrleansNodes.Core/
COPY src/OrleansNodes.Protocols/OrleansNodes.Protocols.csproj src/OrleansNodes.Protocols/
COPY src/OrleansNodes.Simulation/OrleansNodes.Simulation.csproj src/OrleansNodes.Simulation/
COPY src/OrleansNodes.Workloads/OrleansNodes.Workloads.csproj src/OrleansNodes.Workloads/
COPY src/OrleansNodes.Hosting/OrleansNodes.Hosting.csproj src/OrleansNodes.Hosting/
COPY client/OrleansNodes.Client.csproj client/
RUN dotnet restore client/OrleansNodes.Client.csproj
COPY src/ src/
COPY client/ client/
RUN dotnet publish client/OrleansNodes.Client.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/runtime:${DOTNET_VERSION}
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
# Histories and schedules the console writes land in the user's home, not in /app.
WORKDIR /home/app
ENTRYPOINT ["dotnet", "/app/orleansnodes.dll"]
