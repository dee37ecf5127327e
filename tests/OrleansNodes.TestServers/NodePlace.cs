namespace OrleansNodes.TestServers;

/// <summary>One node as a silo's status reports it: the silo process it runs on (null if none of the group's), whether it leads, answers and runs.</summary>
public sealed record NodePlace(string Node, SiloProcess? Silo, string SiloText, bool Leader, bool Answered, bool Running);
