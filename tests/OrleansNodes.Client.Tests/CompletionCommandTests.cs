using OrleansNodes.TestServers;

namespace OrleansNodes.Client.Tests;

/// <summary><c>orleansnodes completion</c>: scripts that parse, and that complete by asking the console itself.</summary>
public sealed class CompletionCommandTests
{
    [Fact]
    public void SuggestDirective_PartialSubcommand_ListsTheMatchingOne()
    {
        var run = ConsoleRun.Of("[suggest:9]", "cluster l");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("list", run.Output.Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public async Task Completion_Bash_ParsesAndCompletesCommandsAndOptionsInBash()
    {
        var script = ConsoleRun.Of("completion", "bash");
        Assert.Equal(ExitCodes.Ok, script.ExitCode);
        var path = Path.Combine(Path.GetTempPath(), $"orleansnodes-completion-{Guid.NewGuid():N}.bash");
        File.WriteAllText(path, script.Output);
        try
        {
            Assert.Equal(0, await RunAsync("bash", "-n", path));

            // The script calls `orleansnodes`; here that is the built console, as a shell function.
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            var driver = $$"""
                orleansnodes() { '{{dotnet}}' '{{Repository.Built("client", "orleansnodes")}}' "$@"; }
                source '{{path}}'
                complete_line() {
                    COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
                    read -ra COMP_WORDS <<< "$1"; [[ "$1" == *" " ]] && COMP_WORDS+=("")
                    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                    _orleansnodes_complete
                    echo "$1 => ${COMPREPLY[*]}"
                }
                complete_line "orleansnodes cluster l"
                complete_line "orleansnodes sim --se"
                """;
            using var bash = ChildProcess.Start("bash", ["-c", driver]);
            Assert.Equal(0, await bash.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.Contains("orleansnodes cluster l => list", bash.Output());
            Assert.Contains("orleansnodes sim --se => --seeds", bash.Output());

            if (File.Exists("/bin/zsh") || File.Exists("/usr/bin/zsh"))
            {
                File.WriteAllText(path, ConsoleRun.Of("completion", "zsh").Output);
                Assert.Equal(0, await RunAsync("zsh", "-n", path));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<int> RunAsync(string program, params string[] args)
    {
        using var process = ChildProcess.Start(program, args);
        var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, process.Output());
        return exit;
    }
}
