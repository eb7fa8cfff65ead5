using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ConfigAsCode.Tool.Import;

/// <summary>The serving engines the import recognises.</summary>
internal enum EngineKind
{
    Vllm,
    Tgi,
    Triton,
}

/// <summary>One engine setting as written: the canonical flag (aliases, '_' and env-var spellings resolved) and its value.</summary>
/// <param name="Flag">The canonical long flag, for example <c>--max-num-seqs</c>.</param>
/// <param name="Value">The value; null for a switch such as <c>--enforce-eager</c>.</param>
/// <param name="Written">How the input spelled it, for messages (<c>-tp 4</c>, <c>MAX_INPUT_TOKENS=6144</c>).</param>
internal sealed record EngineSetting(string Flag, string? Value, string Written);

/// <summary>
/// An engine's command line read back into settings: <c>--flag=value</c> and <c>--flag value</c> forms, vLLM's short
/// aliases (<c>-tp</c>) and positional model (<c>vllm serve MODEL</c>), '_' spellings (<c>--max_num_seqs</c>), TGI's
/// environment variables (<c>MAX_BATCH_PREFILL_TOKENS</c>), and <c>sh -c</c> scripts whose other steps are reported.
/// </summary>
internal sealed class EngineCommandLine
{
    // vLLM's switches (no value), so "--enforce-eager model-id" is not read as a value; flags with a value otherwise.
    private static readonly HashSet<string> VllmSwitches = new(StringComparer.Ordinal)
    {
        "--enforce-eager", "--enable-prefix-caching", "--no-enable-prefix-caching", "--trust-remote-code", "--enable-expert-parallel",
        "--disable-log-requests", "--disable-log-stats", "--enable-log-requests", "--enable-chunked-prefill", "--no-enable-chunked-prefill",
        "--enable-auto-tool-choice", "--disable-custom-all-reduce", "--enable-lora", "--disable-frontend-multiprocessing",
        "--disable-fastapi-docs", "--enable-request-id-headers", "--enable-sleep-mode", "--no-enable-log-requests",
    };

    private static readonly Dictionary<string, string> VllmAliases = new(StringComparer.Ordinal)
    {
        ["-tp"] = "--tensor-parallel-size",
        ["-pp"] = "--pipeline-parallel-size",
        ["-dp"] = "--data-parallel-size",
        ["-q"] = "--quantization",
    };

    /// <summary>TGI's settings, each also readable from the environment variable of the same name (clap's <c>env</c>).</summary>
    internal static readonly HashSet<string> TgiFlags = new(StringComparer.Ordinal)
    {
        "--model-id", "--revision", "--port", "--hostname", "--num-shard", "--sharded", "--max-input-tokens", "--max-total-tokens",
        "--max-batch-prefill-tokens", "--max-batch-total-tokens", "--max-concurrent-requests", "--quantize", "--trust-remote-code",
        "--json-output", "--otlp-endpoint", "--otlp-service-name", "--dtype", "--max-best-of", "--max-stop-sequences",
        "--max-waiting-tokens", "--max-batch-size", "--cuda-memory-fraction", "--huggingface-hub-cache", "--disable-custom-kernels",
        "--speculate", "--kv-cache-dtype", "--max-client-batch-size", "--payload-limit", "--api-key",
    };

    private static readonly HashSet<string> TgiSwitches = new(StringComparer.Ordinal)
    {
        "--trust-remote-code", "--json-output", "--disable-custom-kernels", "--sharded",
    };

    // Older TGI spellings of today's flags.
    private static readonly Dictionary<string, string> TgiAliases = new(StringComparer.Ordinal)
    {
        ["--max-input-length"] = "--max-input-tokens",
    };

    private static readonly HashSet<string> TritonAliasesToModelRepository = new(StringComparer.Ordinal) { "--model-store" };

    private static readonly HashSet<string> ShellOperators = new(StringComparer.Ordinal) { "&&", "||", ";", "|", "&" };

    private EngineCommandLine(EngineKind kind)
    {
        Kind = kind;
    }

    public EngineKind Kind { get; }

    /// <summary>The settings in the order written; a repeated flag keeps every occurrence (the engine takes the last).</summary>
    public List<EngineSetting> Settings { get; } = [];

    /// <summary>What could not be read: shell steps besides the engine, an unclosed quote, an unexpected program.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Environment variables read as TGI settings (they are not declared as variables again).</summary>
    public HashSet<string> ConsumedVariables { get; } = new(StringComparer.Ordinal);

    /// <summary>The last value given for <paramref name="flag"/>, or null; <paramref name="present"/> tells a switch from an absent flag.</summary>
    public string? Last(string flag, out bool present)
    {
        for (var i = Settings.Count - 1; i >= 0; i--)
        {
            if (string.Equals(Settings[i].Flag, flag, StringComparison.Ordinal))
            {
                present = true;
                return Settings[i].Value;
            }
        }

        present = false;
        return null;
    }

    public bool Has(string flag)
    {
        Last(flag, out var present);
        return present;
    }

    /// <summary>
    /// The engine a container runs, from its command (<c>vllm serve</c>, <c>text-generation-launcher</c>,
    /// <c>tritonserver</c>, <c>python -m vllm.entrypoints...</c>, a <c>sh -c</c> script) or else its image; null when neither names one.
    /// </summary>
    public static EngineCommandLine? Read(IReadOnlyList<string> command, IReadOnlyList<string> args, string? image, IReadOnlyList<KeyValuePair<string, string>> literalEnv)
    {
        var problems = new List<string>();
        var argv = new List<string>();
        EngineKind? kind = null;
        if (command.Count > 0)
        {
            var tokens = command.Concat(args).ToList();
            if (IsShell(tokens, out var script))
            {
                tokens = ScriptTokens(script, problems);
            }

            kind = ProgramKind(tokens, out var programLength);
            if (kind is not null)
            {
                argv.AddRange(tokens.Skip(programLength));
            }
            else if (problems.Count == 0)
            {
                // An unknown program (a wrapper script, say) that runs an image we know: its arguments are not the engine's.
                kind = ImageKind(image);
                if (kind is null)
                {
                    return null;
                }

                problems.Add($"the container runs '{Shorten(string.Join(' ', command))}' instead of the engine's own program, so its arguments were not read as engine settings");
            }
            else
            {
                kind = ImageKind(image);
                if (kind is null)
                {
                    return null;
                }
            }
        }
        else
        {
            kind = ImageKind(image);
            if (kind is null)
            {
                return null;
            }

            var tokens = args.ToList();
            if (tokens.Count > 0 && ProgramKind(tokens, out var programLength) == kind)
            {
                // Images whose entrypoint is a shell take the whole command line as args.
                tokens = tokens.Skip(programLength).ToList();
            }

            argv.AddRange(tokens);
        }

        var line = new EngineCommandLine(kind.Value);
        line.Problems.AddRange(problems);
        line.ParseArguments(argv);
        if (kind == EngineKind.Tgi)
        {
            line.ReadTgiEnvironment(literalEnv);
        }

        return line;
    }

    /// <summary>Reads one command line typed by a user (<c>vllm serve MODEL --max-num-seqs 64</c>); null when it runs no known engine.</summary>
    public static EngineCommandLine? ReadCommandLine(string commandLine, out string? problem)
    {
        var problems = new List<string>();
        var tokens = ScriptTokens(commandLine, problems);
        problem = problems.FirstOrDefault();
        if (problems.FirstOrDefault(p => p.Contains("unclosed", StringComparison.Ordinal)) is { } unclosed)
        {
            // Where the quote was meant to end is a guess; a guessed command line is not imported.
            problem = unclosed;
            return null;
        }

        if (tokens.Count == 0)
        {
            problem ??= "the command line is empty";
            return null;
        }

        var kind = ProgramKind(tokens, out var programLength);
        if (kind is null && tokens[0].StartsWith('-'))
        {
            // Only the arguments were given: they are vLLM's (the option is --vllm-args).
            kind = EngineKind.Vllm;
            programLength = 0;
        }

        if (kind is null)
        {
            problem ??= $"'{Shorten(tokens[0])}' is not vllm serve, python -m vllm.entrypoints.openai.api_server, text-generation-launcher or tritonserver";
            return null;
        }

        var line = new EngineCommandLine(kind.Value);
        line.Problems.AddRange(problems);
        line.ParseArguments(tokens.Skip(programLength).ToList());
        return line;
    }

    private void ParseArguments(IReadOnlyList<string> argv)
    {
        for (var i = 0; i < argv.Count; i++)
        {
            var token = argv[i];
            if (!token.StartsWith('-') || token == "-")
            {
                if (Kind == EngineKind.Vllm && !Has("--model"))
                {
                    // vllm serve MODEL: the positional model.
                    Settings.Add(new EngineSetting("--model", token, token));
                }
                else
                {
                    Problems.Add($"the argument '{Shorten(token)}' belongs to no flag");
                }

                continue;
            }

            string name;
            string? value;
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = token[..equals];
                value = token[(equals + 1)..];
            }
            else
            {
                name = token;
                value = null;
            }

            var flag = Canonical(name);
            if (value is null && !IsSwitch(flag) && i + 1 < argv.Count && !LooksLikeFlag(argv[i + 1]))
            {
                value = argv[++i];
                Settings.Add(new EngineSetting(flag, value, token + " " + value));
            }
            else
            {
                Settings.Add(new EngineSetting(flag, value, token));
            }
        }
    }

    private void ReadTgiEnvironment(IReadOnlyList<KeyValuePair<string, string>> literalEnv)
    {
        foreach (var (name, value) in literalEnv)
        {
            var flag = Canonical("--" + name.ToLowerInvariant().Replace('_', '-'));
            if (TgiFlags.Contains(flag) && !string.Equals(flag, "--api-key", StringComparison.Ordinal) && !Has(flag))
            {
                // A flag on the command line wins over its variable, as clap resolves them.
                Settings.Add(new EngineSetting(flag, TgiSwitches.Contains(flag) ? (IsTrue(value) ? null : value) : value, name + "=" + value));
                ConsumedVariables.Add(name);
            }
        }
    }

    private static bool IsTrue(string value) => value.Trim().ToLowerInvariant() is "true" or "1" or "yes" or "on";

    private string Canonical(string name)
    {
        var flag = name.StartsWith("--", StringComparison.Ordinal) ? "--" + name[2..].Replace('_', '-') : name;
        return Kind switch
        {
            EngineKind.Vllm => VllmAliases.TryGetValue(flag, out var alias) ? alias : flag,
            EngineKind.Tgi => TgiAliases.TryGetValue(flag, out var tgi) ? tgi : flag,
            _ => TritonAliasesToModelRepository.Contains(flag) ? "--model-repository" : flag,
        };
    }

    private bool IsSwitch(string flag) => Kind switch
    {
        EngineKind.Vllm => VllmSwitches.Contains(flag),
        EngineKind.Tgi => TgiSwitches.Contains(flag),
        _ => false,
    };

    // "-1" is a value (--max-model-len -1), "-tp" is a flag.
    private static bool LooksLikeFlag(string token) =>
        token.StartsWith('-') && token.Length > 1 && !char.IsDigit(token[1]) && token[1] != '.';

    private static EngineKind? ImageKind(string? image)
    {
        var repository = (image ?? string.Empty).Split('@')[0].ToLowerInvariant();
        return repository.Contains("text-generation-inference", StringComparison.Ordinal) ? EngineKind.Tgi
            : repository.Contains("tritonserver", StringComparison.Ordinal) ? EngineKind.Triton
            : repository.Contains("vllm", StringComparison.Ordinal) ? EngineKind.Vllm
            : null;
    }

    private static EngineKind? ProgramKind(IReadOnlyList<string> tokens, out int length)
    {
        length = 0;
        var start = 0;
        if (tokens.Count > 0 && tokens[0] == "exec")
        {
            start = 1;
        }

        if (tokens.Count <= start)
        {
            return null;
        }

        var program = Program(tokens[start]);
        if (program == "vllm" && tokens.Count > start + 1 && tokens[start + 1] == "serve")
        {
            length = start + 2;
            return EngineKind.Vllm;
        }

        if (program is "python" or "python3" && tokens.Count > start + 2 && tokens[start + 1] == "-m"
            && tokens[start + 2] is "vllm.entrypoints.openai.api_server" or "vllm.entrypoints.api_server")
        {
            length = start + 3;
            return EngineKind.Vllm;
        }

        if (program == "text-generation-launcher")
        {
            length = start + 1;
            return EngineKind.Tgi;
        }

        if (program == "tritonserver")
        {
            length = start + 1;
            return EngineKind.Triton;
        }

        return null;
    }

    private static string Program(string token)
    {
        var slash = token.LastIndexOf('/');
        var name = slash >= 0 ? token[(slash + 1)..] : token;
        return name.StartsWith("python3.", StringComparison.Ordinal) ? "python3" : name;
    }

    private static bool IsShell(IReadOnlyList<string> tokens, out string script)
    {
        script = string.Empty;
        if (tokens.Count >= 3 && Program(tokens[0]) is "sh" or "bash" or "dash" or "ash" or "zsh"
            && tokens[1].StartsWith('-') && tokens[1].EndsWith('c'))
        {
            script = string.Join(' ', tokens.Skip(2));
            return true;
        }

        return false;
    }

    /// <summary>The tokens of the engine's step in a shell script; other steps and anything unreadable go to <paramref name="problems"/>.</summary>
    private static List<string> ScriptTokens(string script, List<string> problems)
    {
        var tokens = Tokenize(script, problems);
        var steps = new List<List<string>> { new() };
        foreach (var token in tokens)
        {
            if (token.Operator)
            {
                steps.Add([]);
            }
            else
            {
                steps[^1].Add(token.Text);
            }
        }

        steps.RemoveAll(s => s.Count == 0);
        var engine = steps.FirstOrDefault(s => ProgramKind(s, out _) is not null);
        if (engine is null)
        {
            return steps.Count == 1 ? steps[0] : steps.SelectMany(s => s).ToList();
        }

        foreach (var other in steps.Where(s => !ReferenceEquals(s, engine)))
        {
            problems.Add($"the shell step '{Shorten(string.Join(' ', other))}' runs besides the engine and is not modelled");
        }

        return engine;
    }

    /// <summary>POSIX-like word splitting: quotes, backslash escapes, line continuations and the operators that separate steps.</summary>
    private static List<(string Text, bool Operator)> Tokenize(string script, List<string> problems)
    {
        var tokens = new List<(string, bool)>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            if (quote == '"')
            {
                if (c == '"')
                {
                    quote = null;
                }
                else if (c == '\\' && i + 1 < script.Length && script[i + 1] is '"' or '\\' or '$' or '`')
                {
                    current.Append(script[++i]);
                }
                else if (c == '\\' && i + 1 < script.Length && script[i + 1] == '\n')
                {
                    i++;
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            if (c == '\\' && i + 1 < script.Length)
            {
                var next = script[++i];
                if (next is not '\n' and not '\r')
                {
                    current.Append(next);
                    inWord = true;
                }
                else if (next == '\r' && i + 1 < script.Length && script[i + 1] == '\n')
                {
                    i++;
                }

                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
                continue;
            }

            if (char.IsWhiteSpace(c) || c is ';' or '&' or '|')
            {
                if (inWord)
                {
                    tokens.Add((current.ToString(), false));
                    current.Clear();
                    inWord = false;
                }

                if (c is ';' or '&' or '|')
                {
                    var op = i + 1 < script.Length && script[i + 1] == c && c != ';' ? new string(c, 2) : c.ToString();
                    i += op.Length - 1;
                    tokens.Add((op, ShellOperators.Contains(op)));
                }
                else if (c == '\n')
                {
                    tokens.Add((";", true));
                }

                continue;
            }

            current.Append(c);
            inWord = true;
        }

        if (quote is not null)
        {
            problems.Add($"the command line has an unclosed {(quote == '"' ? "double" : "single")} quote");
        }

        if (inWord)
        {
            tokens.Add((current.ToString(), false));
        }

        return tokens;
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
