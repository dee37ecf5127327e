using OrleansNodes.Client;

return Cli.Run(args, Terminal.ForStandardOutput(), Console.Error);
