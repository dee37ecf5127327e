using System.CommandLine;
using Spectre.Console;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes completion bash|zsh</c>: prints a shell completion script. The script asks
/// the console itself what may come next, through System.CommandLine's <c>[suggest:N]</c>
/// directive (<c>orleansnodes "[suggest:8]" "cluster "</c> prints <c>create</c>, <c>list</c>,
/// <c>status</c>), so it stays right as commands and options change.
/// </summary>
public static class CompletionCommand
{
    /// <summary>The shells a script is available for.</summary>
    public static readonly string[] Shells = ["bash", "zsh"];

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var shell = new Argument<string>("shell") { Description = "The shell: bash or zsh." };
        shell.AcceptOnlyFromAmong(Shells);
        var command = new Command("completion", "Print a shell completion script: source <(orleansnodes completion bash).") { shell };
        command.SetAction(parse =>
        {
            console.Profile.Out.Writer.Write(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return ExitCodes.Ok;
        });
        return command;
    }

    // The line up to the cursor, without the command's own name, is what [suggest:N] completes;
    // N is the cursor's place in it. Options are offered once a word starts with '-' (help's "-?"
    // and "/?" spellings never); a word with nothing to offer, such as check's FILE, completes
    // as a file name.
    private const string Bash = """
        # orleansnodes completion for bash. Load it in this shell:
        #   source <(orleansnodes completion bash)
        # or for every shell:
        #   orleansnodes completion bash > ~/.local/share/bash-completion/completions/orleansnodes
        _orleansnodes_complete()
        {
            local line="${COMP_LINE:0:COMP_POINT}"
            local rest="${line#*"${COMP_WORDS[0]}"}"
            rest="${rest#"${rest%%[![:space:]]*}"}"
            local current="${COMP_WORDS[COMP_CWORD]}"
            local candidate candidates=()
            while IFS= read -r candidate; do
                case "$candidate" in
                    /* | "-?") ;;
                    -*) [[ "$current" == -* ]] && candidates+=("$candidate") ;;
                    *) candidates+=("$candidate") ;;
                esac
            done < <("${COMP_WORDS[0]}" "[suggest:${#rest}]" "$rest" 2>/dev/null)
            COMPREPLY=($(compgen -W "${candidates[*]}" -- "$current"))
        }
        complete -o default -F _orleansnodes_complete orleansnodes

        """;

    private const string Zsh = """
        #compdef orleansnodes
        # orleansnodes completion for zsh (after compinit). Load it in this shell:
        #   source <(orleansnodes completion zsh)
        # or for every shell, as _orleansnodes in a folder on $fpath:
        #   orleansnodes completion zsh > "${fpath[1]}/_orleansnodes"
        _orleansnodes() {
            local rest="${(j: :)${(@)words[2,CURRENT]}}"
            local -a candidates
            candidates=(${(f)"$("${words[1]}" "[suggest:${#rest}]" "$rest" 2>/dev/null)"})
            candidates=(${candidates:#/*})
            candidates=(${candidates:#-\?})
            [[ "${words[CURRENT]}" == -* ]] || candidates=(${candidates:#-*})
            if (( ${#candidates} )); then
                compadd -- $candidates
            else
                _files
            fi
        }
        # Loaded from $fpath, the file is the function's body; sourced, it registers the function.
        if [ "$funcstack[1]" = "_orleansnodes" ]; then
            _orleansnodes "$@"
        else
            compdef _orleansnodes orleansnodes
        fi

        """;
}
