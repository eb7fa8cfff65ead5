using System;
using System.IO;
using System.Linq;
using ConfigAsCode.Tool.Import;
using ConfigAsCode.Tool.Tests.Support;
using Xunit;

namespace ConfigAsCode.Tool.Tests;

/// <summary>The commands as a user runs them: exit codes, coded messages, credentials, engine command lines, explain.</summary>
public sealed class CommandTests : IDisposable
{
    // Built at run time so no token-shaped literal is committed (push protection and the repository's own scanners).
    private static readonly string HfToken = "hf_" + new string(Enumerable.Range(0, 34).Select(i => (char)('a' + (i * 7 % 26))).ToArray());

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cac-tool-" + Guid.NewGuid().ToString("N"));

    public CommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = Program.Run(args, stdout, stderr, _folder);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_literal_secret_is_flagged_and_absent_from_every_output()
    {
        var yaml = File.ReadAllText(Path.Combine(GeneratedCode.Inputs, "plain", "staging", "chat.yaml"))
            .Replace("            - name: VLLM_LOGGING_LEVEL\n", $"            - name: HUGGING_FACE_HUB_TOKEN\n              value: {HfToken}\n            - name: VLLM_LOGGING_LEVEL\n", StringComparison.Ordinal)
            .Replace("            - --swap-space=4\n", "            - --api-key\n            - s3cr3t-Key-for-the-engine\n", StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(_folder, "staging"));
        File.WriteAllText(Path.Combine(_folder, "staging", "chat.yaml"), yaml);

        var (exit, stdout, stderr) = Run("import", "staging", "--out", "Platform/Platform.cs");

        Assert.Equal(Program.NotCarried, exit);
        var code = File.ReadAllText(Path.Combine(_folder, "Platform", "Platform.cs"));
        foreach (var output in new[] { code, stdout, stderr })
        {
            Assert.DoesNotContain(HfToken, output, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t-Key-for-the-engine", output, StringComparison.Ordinal);
        }

        Assert.Contains("CAC9033: staging/chat.yaml(48): staging/chat: env HUGGING_FACE_HUB_TOKEN: its value has the format of a Hugging Face token;", stdout, StringComparison.Ordinal);
        Assert.Contains("the value was not copied. Store it in a Secret and declare EnvVar.FromSecret(\"HUGGING_FACE_HUB_TOKEN\", \"<secret>\", \"<key>\").", stdout, StringComparison.Ordinal);
        Assert.Contains("CAC9033: staging/chat.yaml(31): staging/chat: vLLM setting '--api-key' carries a literal credential; it was not copied.", stdout, StringComparison.Ordinal);
        Assert.Contains("//   CAC9033: staging/chat.yaml(48)", code, StringComparison.Ordinal);
        Assert.Contains("2 credential(s) not copied (CAC9033)", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("HUGGING_FACE_HUB_TOKEN\", \"", code.Split("public sealed class")[1], StringComparison.Ordinal);

        // The rest of the deployment is still imported, and the file compiles.
        var (_, evaluation, _) = GeneratedCode.Build(code, "SecretImport");
        Assert.Equal("chat", Assert.Single(evaluation.Deployments).Name);
    }

    [Fact]
    public void Vllm_args_read_quotes_equals_aliases_and_list_unknown_flags()
    {
        var line = EngineCommandLine.ReadCommandLine(
            "vllm serve 'Qwen/Qwen3-8B' --revision=b968826d9c46dd6066d109eabc6255188de91218 -tp 2 --max_num_seqs 64 --max-model-len=-1 "
            + "--served-model-name \"qwen chat\" --enforce-eager --swap-space 4 --disable-log-requests --kv-cache-dtype fp8",
            out var problem);

        Assert.Null(problem);
        Assert.Equal(
            [
                ("--model", "Qwen/Qwen3-8B"), ("--revision", "b968826d9c46dd6066d109eabc6255188de91218"), ("--tensor-parallel-size", "2"),
                ("--max-num-seqs", "64"), ("--max-model-len", "-1"), ("--served-model-name", "qwen chat"), ("--enforce-eager", null),
                ("--swap-space", "4"), ("--disable-log-requests", null), ("--kv-cache-dtype", "fp8"),
            ],
            line!.Settings.Select(s => (s.Flag, s.Value)));

        var (exit, stdout, stderr) = Run("import", "--vllm-args",
            "vllm serve 'Qwen/Qwen3-8B' --revision=b968826d9c46dd6066d109eabc6255188de91218 -tp 2 --max_num_seqs 64 --max-model-len=-1 --served-model-name \"qwen chat\" --enforce-eager --swap-space 4 --disable-log-requests --kv-cache-dtype fp8",
            "--namespace", "llm", "--environment", "staging");

        Assert.Equal(Program.NotCarried, exit);
        Assert.Equal(
            [
                "CAC9032: --vllm-args: --gpu-memory-utilization is not set, so vLLM used its own default (0.92 in current releases, vllm/config/cache.py); the declaration renders --gpu-memory-utilization=0.9. Set GpuMemoryUtilization = 0.92 to keep vLLM's current default.",
                "CAC9032: --vllm-args: a command line names no GPU; the declaration uses a placeholder GpuKind with no memory or price (never guessed). Use a GpuCatalog entry.",
                "CAC9032: --vllm-args: a command line names no image; declared as vllm/vllm-openai without tag or digest (CAC5001/CAC5002 report it). Set Image.Tag and Image.Digest.",
                "CAC9032: --vllm-args: vLLM setting '--disable-log-requests' is not carried: it is not a vLLM setting the toolkit models. The declaration runs without it.",
                "CAC9032: --vllm-args: vLLM setting '--swap-space 4' is not carried: it is not a vLLM setting the toolkit models. The declaration runs without it.",
            ],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Model = new ModelSpec { Id = \"Qwen/Qwen3-8B\", Revision = \"b968826d9c46dd6066d109eabc6255188de91218\" }", stdout, StringComparison.Ordinal);
        Assert.Contains("MaxModelLen = VllmEngine.MaxModelLenAuto", stdout, StringComparison.Ordinal);
        Assert.Contains("ServedModelName = \"qwen chat\"", stdout, StringComparison.Ordinal);
        Assert.Contains("TensorParallelSize = 2", stdout, StringComparison.Ordinal);
        Assert.Contains("KvCacheDtype = KvCacheDtype.Fp8", stdout, StringComparison.Ordinal);
        Assert.Contains("EnforceEager = true", stdout, StringComparison.Ordinal);
        Assert.Contains("Namespace = \"llm\"", stdout, StringComparison.Ordinal);
        Assert.Contains("Environment = DeploymentEnvironment.Staging", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vllm serve m --max-num-seqs \"64", "CAC9030: --vllm-args: the command line has an unclosed double quote.")]
    [InlineData("docker run vllm", "CAC9030: --vllm-args: 'docker' is not vllm serve, python -m vllm.entrypoints.openai.api_server, text-generation-launcher or tritonserver.")]
    public void An_unreadable_command_line_is_a_coded_error_and_prints_no_code(string commandLine, string expected)
    {
        var (exit, stdout, stderr) = Run("import", "--vllm-args", commandLine);

        Assert.Equal(Program.BadInput, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_api_key_on_the_command_line_is_flagged_and_not_printed()
    {
        var (exit, stdout, stderr) = Run("import", "--vllm-args", "vllm serve Qwen/Qwen3-8B --api-key=abc-secret-0123456789 --max-num-seqs 8");

        Assert.Equal(Program.NotCarried, exit);
        Assert.Contains("CAC9033: --vllm-args: vLLM setting '--api-key' carries a literal credential; it was not copied.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("abc-secret-0123456789", stdout + stderr, StringComparison.Ordinal);
        Assert.StartsWith("// Generated by `configascode import --vllm-args \"...\"`.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_prints_the_embedded_rule_page()
    {
        var (exit, stdout, _) = Run("explain", "CAC3008");

        Assert.Equal(Program.Ok, exit);
        Assert.StartsWith("CAC3008 · Gpu", stdout, StringComparison.Ordinal);
        Assert.Contains("# CAC3008: KV cache cannot hold one maximum-length sequence", stdout, StringComparison.Ordinal);
        Assert.Contains("## How to fix", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("decidable-from-source:", stdout, StringComparison.Ordinal);
        Assert.Equal(Program.Ok, Run("explain", "9033").Exit);
    }

    [Fact]
    public void Every_rule_has_its_page_embedded_in_the_tool()
    {
        Assert.All(ConfigAsCode.Synthesis.Rules.RuleCatalog.All, rule => Assert.NotNull(Explain.RuleExplainer.Page(rule.Id)));
    }

    [Fact]
    public void Explain_with_an_unknown_id_is_a_coded_error_naming_the_nearest_ids()
    {
        var (exit, stdout, stderr) = Run("explain", "CAC3108");

        Assert.Equal(Program.BadInput, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("CAC9034: 'CAC3108' is not a rule id. Nearest: CAC3018 (", stderr, StringComparison.Ordinal);
        Assert.Contains("CAC3008 (", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "import" }, "CAC9034: nothing to import.")]
    [InlineData(new[] { "import", "missing-folder" }, "CAC9030: missing-folder: no such file or folder.")]
    [InlineData(new[] { "import", "x.yaml", "--vllm-args", "vllm serve m" }, "CAC9034: --vllm-args imports one command line; it cannot be combined with YAML paths.")]
    [InlineData(new[] { "import", "--vllm-args", "vllm serve m", "--environment", "Prod EU" }, "CAC9034: --environment 'Prod EU' is not an environment name.")]
    [InlineData(new[] { "import", "--bogus" }, "CAC9034: '--bogus' is not an option of configascode import.")]
    public void Bad_arguments_are_coded_errors_and_write_nothing(string[] args, string expected)
    {
        var (exit, _, stderr) = Run(args);

        Assert.Equal(Program.BadInput, exit);
        Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Yaml_without_an_engine_workload_is_CAC9031_and_unrendered_helm_is_CAC9030()
    {
        File.WriteAllText(Path.Combine(_folder, "svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: chat\nspec:\n  ports: [{port: 80}]\n");
        File.WriteAllText(Path.Combine(_folder, "tpl.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{ include \"x\" . }}\n");

        var none = Run("import", "svc.yaml", "--out", "P.cs");
        var helm = Run("import", "tpl.yaml");

        Assert.Equal(Program.BadInput, none.Exit);
        Assert.StartsWith("CAC9031: no Deployment, StatefulSet or Argo Rollout running vLLM, TGI or Triton was found in 1 object(s) of 1 file(s).", none.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "P.cs")));
        Assert.Equal(Program.BadInput, helm.Exit);
        Assert.StartsWith("CAC9030: tpl.yaml(", helm.Err, StringComparison.Ordinal);
        Assert.Contains("render it first (helm template", helm.Err, StringComparison.Ordinal);
    }
    [Theory]
    [InlineData("cycle", "apiVersion: v1\nkind: ConfigMap\nmetadata: &a\n  name: x\n  self: *a\n")]
    [InlineData("laughs", "kind: ConfigMap\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n")]
    [InlineData("deep", null)]
    public void Yaml_whose_aliases_loop_or_explode_or_that_nests_too_deep_is_CAC9030_not_a_crash(string name, string? yaml)
    {
        // A cycle overflowed the stack (the process died, exit 134), nine levels of aliases walked 387 million nodes.
        File.WriteAllText(Path.Combine(_folder, name + ".yaml"), yaml ?? "a: " + new string('[', 200_000) + new string(']', 200_000) + "\n");

        var (exit, stdout, stderr) = Run("import", name + ".yaml", "--out", "P.cs");

        Assert.Equal(Program.BadInput, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith($"CAC9030: {name}.yaml(", stderr, StringComparison.Ordinal);
        Assert.Contains("nests deeper than 256 levels or its aliases expand past", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "P.cs")));
    }

    [Fact]
    public void Many_documents_whose_aliases_each_expand_just_below_the_limit_are_CAC9030_not_minutes_of_work()
    {
        // 9^6 leaves per document, under the limit of one document: 500 of them (137 KB) took 8 s, 50,000 would take 15 minutes.
        var document = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: &a [x,x,x,x,x,x,x,x,x]\n"
            + string.Concat("bcdef".Select((n, i) => $"  {n}: &{n} [{string.Join(",", Enumerable.Repeat("*" + "abcdef"[i], 9))}]\n"));
        File.WriteAllText(Path.Combine(_folder, "many.yaml"), string.Join("---\n", Enumerable.Repeat(document, 50)));

        var (exit, stdout, stderr) = Run("import", "many.yaml", "--out", "P.cs");

        Assert.Equal(Program.BadInput, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("CAC9030: many.yaml(", stderr, StringComparison.Ordinal);
        Assert.Contains("aliases expand past 1000000 nodes in the files imported together", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "P.cs")));
    }

    [Theory]
    [InlineData("memory: 32Gi", "memory: 79228162514264337593543950335Pi")]
    [InlineData("cpu: \"4\"", "cpu: \"1e28\"")]
    public void A_quantity_beyond_a_decimal_is_listed_as_not_carried_not_a_stack_trace(string original, string huge)
    {
        var yaml = File.ReadAllText(Path.Combine(GeneratedCode.Inputs, "plain", "staging", "chat.yaml")).Replace(original, huge, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(_folder, "staging"));
        File.WriteAllText(Path.Combine(_folder, "staging", "chat.yaml"), yaml);

        var (exit, stdout, stderr) = Run("import", "staging", "--out", "P.cs");

        Assert.Equal(Program.NotCarried, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains($"CAC9032: staging/chat.yaml(", stdout, StringComparison.Ordinal);
        Assert.Contains(huge.Split(": ")[1].Trim('"') + "' is not a whole number of", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "P.cs")));
    }

    [Theory]
    [InlineData("existing")]
    [InlineData("new/")]
    [InlineData("")]
    public void Out_naming_a_folder_is_CAC9034_and_leaves_no_file_behind(string output)
    {
        Directory.CreateDirectory(Path.Combine(_folder, "in", "staging"));
        Directory.CreateDirectory(Path.Combine(_folder, "existing"));
        File.Copy(Path.Combine(GeneratedCode.Inputs, "plain", "staging", "chat.yaml"), Path.Combine(_folder, "in", "staging", "chat.yaml"));

        var (exit, _, stderr) = Run("import", "in", "--out", output);

        // It wrote existing.tmp (or new/.tmp, or a .tmp beside the working folder) and said "nothing was written".
        Assert.Equal(Program.BadInput, exit);
        Assert.Contains("CAC9034: ", stderr, StringComparison.Ordinal);
        Assert.Contains("--out names a folder; nothing was written.", stderr, StringComparison.Ordinal);
        Assert.Equal(["existing", "in"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_folder, "existing")));
        Assert.False(File.Exists(_folder + ".tmp"));
    }

    [Fact]
    public void Out_below_a_file_is_CAC9034_naming_the_out_path()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "staging"));
        File.Copy(Path.Combine(GeneratedCode.Inputs, "plain", "staging", "chat.yaml"), Path.Combine(_folder, "staging", "chat.yaml"));

        var (exit, _, stderr) = Run("import", "staging", "--out", "staging/chat.yaml/P.cs");

        Assert.Equal(Program.BadInput, exit);
        Assert.StartsWith("CAC9034: staging/chat.yaml/P.cs: --out cannot be written (IOException); nothing was written.", stderr.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        Assert.Equal(["chat.yaml"], Directory.GetFileSystemEntries(Path.Combine(_folder, "staging")).Select(Path.GetFileName));
    }

    [Fact]
    public void Out_keeps_a_users_file_of_the_name_it_would_have_used_as_its_temporary()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "staging"));
        File.Copy(Path.Combine(GeneratedCode.Inputs, "plain", "staging", "chat.yaml"), Path.Combine(_folder, "staging", "chat.yaml"));
        File.WriteAllText(Path.Combine(_folder, "Platform.cs.tmp"), "mine");

        var (exit, _, _) = Run("import", "staging", "--out", "Platform.cs");

        Assert.Equal(Program.NotCarried, exit);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_folder, "Platform.cs.tmp")));
        Assert.Equal(["Platform.cs", "Platform.cs.tmp", "staging"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("--vllm-args=vllm serve Qwen/Qwen3-8B --api-key Plain-Secret-Value-42")]
    [InlineData("--vllm-args:vllm serve Qwen/Qwen3-8B --api-key Plain-Secret-Value-42")]
    public void Vllm_args_joined_by_either_delimiter_is_left_out_of_the_header(string argument)
    {
        // With ':' the whole command line went into the header, and the last check refused to print anything.
        var (exit, stdout, stderr) = Run("import", argument, "--namespace", "llm");

        Assert.Equal(Program.NotCarried, exit);
        Assert.StartsWith($"// Generated by `configascode import {argument[..12]}\"...\" --namespace llm`.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Plain-Secret-Value-42", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains("CAC9033: --vllm-args: vLLM setting '--api-key' carries a literal credential", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_pipe_named_yaml_in_a_folder_is_CAC9030_never_opened()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipes are made with mkfifo here
        }

        // Opening a pipe for reading waits for a writer: the import hung forever. A guard, not a timing.
        Directory.CreateDirectory(Path.Combine(_folder, "in", "staging"));
        File.Copy(Path.Combine(GeneratedCode.Inputs, "plain", "staging", "chat.yaml"), Path.Combine(_folder, "in", "staging", "chat.yaml"));
        Assert.Equal(0, MakePipe(Path.Combine(_folder, "in", "staging", "pipe.yaml"), 420));

        var run = System.Threading.Tasks.Task.Run(() => Run("import", "in", "--out", "P.cs"));
        Assert.Same(run, await System.Threading.Tasks.Task.WhenAny(run, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30))));
        var (exit, stdout, stderr) = await run;

        Assert.Equal(Program.BadInput, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("CAC9030: in/staging/pipe.yaml: is a pipe, socket or device, not a file; nothing was read.", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "P.cs")));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_link_named_yaml_to_a_pipe_in_a_folder_is_CAC9030_never_opened()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipes are made with mkfifo here
        }

        // The type was read from the link itself (a link, not a pipe), and the read followed it and waited for a writer.
        Directory.CreateDirectory(Path.Combine(_folder, "in", "staging"));
        File.Copy(Path.Combine(GeneratedCode.Inputs, "plain", "staging", "chat.yaml"), Path.Combine(_folder, "in", "staging", "chat.yaml"));
        var pipe = Path.Combine(_folder, "pipe");
        Assert.Equal(0, MakePipe(pipe, 420));
        File.CreateSymbolicLink(Path.Combine(_folder, "in", "staging", "linked.yaml"), pipe);

        var run = System.Threading.Tasks.Task.Run(() => Run("import", "in", "--out", "P.cs"));
        var finished = await System.Threading.Tasks.Task.WhenAny(run, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(10)));
        if (finished != run)
        {
            // Let the waiting reader go (a writer opens and closes the pipe: end of file); the test fails below.
            using (new FileStream(pipe, FileMode.Open, FileAccess.Write))
            {
            }

            await System.Threading.Tasks.Task.WhenAny(run, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(5)));
        }

        Assert.Same(run, finished);
        var (exit, stdout, stderr) = await run;
        Assert.Equal(Program.BadInput, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("CAC9030: in/staging/linked.yaml: is a pipe, socket or device, not a file; nothing was read.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_below_that_cannot_be_listed_is_CAC9030_not_a_stack_trace()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(_folder, "in", "staging"));
        File.Copy(Path.Combine(GeneratedCode.Inputs, "plain", "staging", "chat.yaml"), Path.Combine(_folder, "in", "staging", "chat.yaml"));
        var locked = Directory.CreateDirectory(Path.Combine(_folder, "in", "locked"));
        File.SetUnixFileMode(locked.FullName, UnixFileMode.None);

        // Root lists a folder without permissions; nobody without CAP_SYS_ADMIN lists another process's map_files.
        Directory.CreateSymbolicLink(Path.Combine(_folder, "in", "maps"), "/proc/1/map_files");
        try
        {
            var (exit, stdout, stderr) = Run("import", "in", "--out", "P.cs");

            Assert.Equal(Program.BadInput, exit);
            Assert.Equal(string.Empty, stdout);
            Assert.StartsWith("CAC9030: in: a folder below it cannot be listed (UnauthorizedAccessException).", stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_folder, "P.cs")));
        }
        finally
        {
            File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Theory]
    [InlineData("--class", "class")]
    [InlineData("--class", "InferencePlatform")]
    [InlineData("--class", "InferenceDeployment")]
    [InlineData("--class", "Name")]
    [InlineData("--code-namespace", "Acme.event")]
    [InlineData("--code-namespace", "InferenceDeployment")]
    [InlineData("--class", "TimeSpan")]
    [InlineData("--code-namespace", "Acme.TimeSpan")]
    public void A_class_or_namespace_the_generated_code_cannot_compile_under_is_CAC9034(string option, string name)
    {
        // 'public sealed class class : InferencePlatform' was written, and the import said it succeeded.
        Directory.CreateDirectory(Path.Combine(_folder, "staging"));
        File.Copy(Path.Combine(GeneratedCode.Inputs, "plain", "staging", "chat.yaml"), Path.Combine(_folder, "staging", "chat.yaml"));

        var (exit, stdout, stderr) = Run("import", "staging", option, name, "--out", "P.cs");

        Assert.Equal(Program.BadInput, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("CAC9034: ", stderr, StringComparison.Ordinal);
        Assert.Contains("is a C# keyword or a name the generated code uses", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "P.cs")));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakePipe(string path, int mode);
}
