using OrleansNodes.Client;

return Cli.Run(args, Spectre.Console.AnsiConsole.Console, Console.Error);
