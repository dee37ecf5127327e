using System.Globalization;
using OrleansNodes.Benchmarks;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var which = args.Length > 0 ? args[0] : "all";

if (which is "all" or "sim")
{
    var options = SimulationOptions.Default with
    {
        Nodes = 5,
        Steps = 2_000,
        Faults = FaultKinds.All,
        Shrink = false,
        SaveSchedule = false,
    };
    var paxos = SimulatorThroughput.Run("paxos, 5 nodes, all faults", Simulator.Create(new SingleDecreePaxos(), PaxosSettings.Default), options, seeds: 200, rounds: 5);
    Print(paxos);
}

static void Print(SimulatorThroughput.Result r) =>
    Console.WriteLine($"{r.Name}: {r.Steps:N0} steps ({r.Deliveries:N0} deliveries) | simulator {r.StepsPerSecond:N0} steps/s, {r.DeliveriesPerSecond:N0} deliveries/s | bare loop {r.BareStepsPerSecond:N0} steps/s | overhead x{r.Overhead:F2}");
