using Examples.MaxGossip;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using OrleansNodes.Hosting;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;

// Max gossip on Orleans: one silo on this machine, every node a grain, each node's durable state
// in a local SQLite file. The ids and the gateway port are the orleansnodes console's defaults
// (cluster and service id "orleansnodes", gateway localhost:30000), so the console needs no options.
// Ports and the data folder can be changed: --SiloPort 11112 --GatewayPort 30001 --Data data2
var builder = Host.CreateApplicationBuilder(args);
var siloPort = builder.Configuration.GetValue("SiloPort", 11111);
var gatewayPort = builder.Configuration.GetValue("GatewayPort", 30000);
var data = builder.Configuration.GetValue("Data", "data")!;

builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "orleansnodes", clusterId: "orleansnodes");
    silo.AddOrleansNodes();
    silo.AddSqliteNodeStorage(storage => storage.DatabasePath = Path.Combine(data, "max-gossip.db"));
    silo.AddProtocol(new MaxGossip(), new MaxSettings(GossipEveryTicks: 3));
});

using var host = builder.Build();
await host.StartAsync();

// The cluster "gossip" of three nodes: created on the first start, found in the data file on
// later ones. Asking for its status wakes every node, and from then on each node ticks.
var nodes = new NodesClient(host.Services.GetRequiredService<IGrainFactory>());
if (await nodes.FindClusterAsync("gossip") is null)
    await nodes.CreateClusterAsync(new ClusterSpec("gossip", "max-gossip", NodeCount: 3));
await nodes.StatusAsync("gossip");
Console.WriteLine("cluster gossip is running: orleansnodes cluster status gossip");

await host.WaitForShutdownAsync();
