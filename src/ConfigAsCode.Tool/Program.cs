using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using ConfigAsCode.Tool.CodeGen;
using ConfigAsCode.Tool.Explain;
using ConfigAsCode.Tool.Import;

namespace ConfigAsCode.Tool;

/// <summary>
/// <c>configascode</c>. Exit codes: 0 everything was carried; 1 the file was written but something is listed as not
/// carried (CAC9032) or a credential was not copied (CAC9033); 2 bad input or usage, nothing written (CAC9030, CAC9031,
/// CAC9034). A failure is one coded line, never a stack trace.
/// </summary>
public static class Program
{
    public const int Ok = 0;
    public const int NotCarried = 1;
    public const int BadInput = 2;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, Directory.GetCurrentDirectory());

    /// <summary>Runs one command with the given console and working directory (the tests call this).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        var paths = new Argument<string[]>("paths") { Description = "YAML files or folders (Kubernetes manifests, helm template output).", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string?>("--out", "-o") { Description = "The C# file to write; without it the code goes to standard output." };
        var environment = new Option<string?>("--environment", "--env") { Description = "The environment of every object (dev, staging, prod or a name); default: folder names, then env labels." };
        var kubernetesNamespace = new Option<string?>("--namespace", "-n") { Description = "The Kubernetes namespace of objects that have none, as kubectl apply -n would give them." };
        var codeNamespace = new Option<string>("--code-namespace") { Description = "The C# namespace of the generated class.", DefaultValueFactory = _ => "Platform" };
        var className = new Option<string>("--class") { Description = "The name of the generated InferencePlatform class.", DefaultValueFactory = _ => "ImportedPlatform" };
        var vllmArgs = new Option<string?>("--vllm-args") { Description = "Import one command line (\"vllm serve MODEL --max-num-seqs 64 ...\") and print its declaration." };

        var import = new Command("import", "Write an InferencePlatform that declares the vLLM, TGI and Triton workloads of existing YAML.")
        {
            paths, output, environment, kubernetesNamespace, codeNamespace, className, vllmArgs,
        };
        import.SetAction(parse => Guarded(stderr, () => RunImport(
            new ImportRequest(parse.GetValue(paths) ?? [], parse.GetValue(output), parse.GetValue(environment), parse.GetValue(kubernetesNamespace), parse.GetValue(codeNamespace)!, parse.GetValue(className)!, parse.GetValue(vllmArgs)),
            args, stdout, stderr, workingDirectory)));

        var id = new Argument<string>("id") { Description = "A rule id such as CAC3008 (or just 3008)." };
        var explain = new Command("explain", "Print a rule's page: cause, why it matters, how to fix, examples, how to suppress.") { id };
        explain.SetAction(parse => Guarded(stderr, () =>
        {
            stdout.Write(RuleExplainer.Explain(parse.GetValue(id)!));
            return Ok;
        }));

        var root = new RootCommand("ConfigAsCode: import existing inference YAML as typed C#, and explain CACnnnn rules.") { import, explain };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine(new ToolMessage(ToolCodes.InvalidArgument, null, 0, $"{error.Message.TrimEnd('.')}. Run `configascode --help`."));
            }

            return BadInput;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private sealed record ImportRequest(string[] Paths, string? Output, string? Environment, string? KubernetesNamespace, string CodeNamespace, string ClassName, string? VllmArgs);

    private static int Guarded(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ToolInputException e)
        {
            stderr.WriteLine(e.Coded);
            return BadInput;
        }
    }

    private static int RunImport(ImportRequest request, string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        if (!IsIdentifier(request.ClassName) || !request.CodeNamespace.Split('.').All(IsIdentifier))
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, null, 0, $"'{Printable.Text(request.ClassName)}' or '{Printable.Text(request.CodeNamespace)}' is not a C# name. Pass --class and --code-namespace as identifiers (ImportedPlatform, Acme.Platform)."));
        }

        // The generated code names the toolkit's types and overrides InferencePlatform's members: a class or a namespace
        // of one of those names (or a keyword) shadows it, and the file would not compile.
        if (CSharpLiteral.IsKeyword(request.ClassName) || InferencePlatformMembers.Contains(request.ClassName) || request.CodeNamespace.Split('.').FirstOrDefault(s => CSharpLiteral.IsKeyword(s) || ToolkitTypes.Contains(s)) is not null || ToolkitTypes.Contains(request.ClassName))
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, null, 0, $"'{Printable.Text(request.ClassName)}' or '{Printable.Text(request.CodeNamespace)}' is a C# keyword or a name the generated code uses (InferencePlatform, InferenceDeployment, Name, Declare, ...), so the file would not compile. Choose another --class or --code-namespace (ImportedPlatform, Acme.Platform)."));
        }

        if (request.Environment is { } env && !KubernetesName.IsLabel(EnvironmentNames.Canonical(env) ?? env))
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, null, 0, $"--environment '{Printable.Text(env)}' is not an environment name. Use dev, staging, prod or a lowercase DNS label such as prod-eu."));
        }

        if (request.KubernetesNamespace is { } ns && !KubernetesName.IsLabel(ns))
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, null, 0, $"--namespace '{Printable.Text(ns)}' is not a Kubernetes namespace name. Use a lowercase DNS label such as inference."));
        }

        var commandLine = "configascode " + string.Join(' ', HeaderArguments(args));
        if (request.VllmArgs is not null)
        {
            if (request.Paths.Length > 0)
            {
                throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, null, 0, "--vllm-args imports one command line; it cannot be combined with YAML paths. Run the two imports separately."));
            }

            return ImportCommandLine(request, commandLine, stdout, stderr);
        }

        if (request.Paths.FirstOrDefault(p => p.StartsWith('-') && !File.Exists(Path.GetFullPath(p, workingDirectory)) && !Directory.Exists(Path.GetFullPath(p, workingDirectory))) is { } option)
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, null, 0, $"'{Printable.Text(option)}' is not an option of configascode import. Run `configascode import --help`."));
        }

        if (request.Paths.Length == 0)
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, null, 0, "nothing to import. Name YAML files or folders (configascode import deploy/ --out Platform.cs), or pass --vllm-args \"vllm serve ...\"."));
        }

        var objects = YamlInput.Read(request.Paths, workingDirectory);
        var result = PlatformImporter.Import(objects, new ImportOptions(request.Environment, request.KubernetesNamespace));
        var messages = request.Output is null ? stderr : stdout;
        foreach (var message in result.Messages)
        {
            messages.WriteLine(message);
        }

        if (result.Workloads.Count == 0)
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.NoWorkload, null, 0,
                $"no Deployment, StatefulSet or Argo Rollout running vLLM, TGI or Triton was found in {objects.Count} object(s) of {result.Files.Count} file(s). Import the workload manifests (helm template output works), not only their Services or values files."));
        }

        var code = PlatformWriter.Write(result, request.CodeNamespace, request.ClassName, commandLine);
        if (CredentialGuard.Leaks(code, CredentialGuard.Credentials(objects)))
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.CredentialNotCopied, null, 0, "the generated code would contain a value the secret detector classifies as a credential; nothing was written. Report this, and move the credential out of the YAML into a Secret."));
        }

        if (request.Output is { } path)
        {
            var full = Path.GetFullPath(path, workingDirectory);
            if (path.Length == 0 || Path.EndsInDirectorySeparator(path) || Directory.Exists(full))
            {
                throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, YamlInput.Display(full, workingDirectory), 0, "--out names a folder; nothing was written. Name the C# file to write (--out Platform/Platform.cs)."));
            }

            // A name of its own beside the target, removed when the write fails: never a user's file.tmp, never left behind.
            var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(temp, code, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                File.Move(temp, full, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                try
                {
                    if (File.Exists(temp))
                    {
                        File.Delete(temp);
                    }
                }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
                {
                    // The message below still says the target was not written; a temporary file that cannot be removed is named.
                    throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, YamlInput.Display(temp, workingDirectory), 0, $"--out cannot be written ({e.GetType().Name}) and this temporary file cannot be removed ({cleanup.GetType().Name}); delete it. Choose a writable path."));
                }

                throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, YamlInput.Display(full, workingDirectory), 0, $"--out cannot be written ({e.GetType().Name}); nothing was written. Choose a writable path."));
            }
            var environments = result.Workloads.Select(w => w.Environment).Distinct(StringComparer.Ordinal).Count();
            var notCarried = result.Messages.Count(m => m.Code == ToolCodes.NotMapped);
            var credentials = result.Messages.Count(m => m.Code == ToolCodes.CredentialNotCopied);
            stdout.WriteLine($"configascode: wrote {YamlInput.Display(full, workingDirectory)}: {result.Workloads.Select(w => w.Deployment.Name).Distinct(StringComparer.Ordinal).Count()} deployment(s) in {environments} environment(s), {result.Workloads.Count} declaration(s); {notCarried} item(s) not carried (CAC9032), {credentials} credential(s) not copied (CAC9033). The comment block at the top of the file lists them.");
        }
        else
        {
            stdout.Write(code);
        }

        return result.Messages.Count == 0 ? Ok : NotCarried;
    }

    private static int ImportCommandLine(ImportRequest request, string commandLine, TextWriter stdout, TextWriter stderr)
    {
        var line = EngineCommandLine.ReadCommandLine(request.VllmArgs!, out var problem);
        if (line is null)
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.InputUnreadable, "--vllm-args", 0, $"{Printable.Text(problem ?? "the command line cannot be read")}. Pass the engine's command line, for example \"vllm serve meta-llama/Llama-3.1-8B-Instruct --max-num-seqs 64\"."));
        }

        var (deployment, messages) = CommandLineImporter.Import(line, request.Environment, request.KubernetesNamespace);
        var code = PlatformWriter.WriteStatement(deployment, messages, commandLine);
        if (CredentialGuard.Leaks(code, CredentialGuard.Credentials(line, EngineSettingsMapper.Map(line, null).Credentials)))
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.CredentialNotCopied, "--vllm-args", 0, "the declaration would contain a value the secret detector classifies as a credential; nothing was printed. Pass the key through a Secret instead."));
        }

        foreach (var message in messages)
        {
            stderr.WriteLine(message);
        }

        stdout.Write(code);
        return messages.Count == 0 ? Ok : NotCarried;
    }

    /// <summary>
    /// The arguments as the generated file's header shows them. The engine command line of <c>--vllm-args</c> is
    /// left out (it may carry an <c>--api-key</c>); the paths and options are kept so the import can be re-run.
    /// </summary>
    private static IEnumerable<string> HeaderArguments(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--vllm-args")
            {
                yield return "--vllm-args \"...\"";
                i++;
            }
            else if (arg.StartsWith("--vllm-args=", StringComparison.Ordinal) || arg.StartsWith("--vllm-args:", StringComparison.Ordinal))
            {
                // System.CommandLine takes both delimiters.
                yield return arg[..12] + "\"...\"";
            }
            else
            {
                yield return arg.Contains(' ', StringComparison.Ordinal) ? "\"" + arg + "\"" : arg;
            }
        }
    }

    // The toolkit's types, and the System type the generated code names by its simple name (TimeSpan.FromMinutes in
    // HealthProbes.For and the other durations): a class or a namespace segment of that name hides it.
    private static readonly HashSet<string> ToolkitTypes = typeof(InferencePlatform).Assembly.GetExportedTypes().Select(t => t.Name.Split('`')[0]).Append(nameof(TimeSpan)).ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> InferencePlatformMembers = typeof(InferencePlatform).GetMembers().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
