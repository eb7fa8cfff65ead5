#if NET8_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace ConfigAsCode;

// Reading config.json needs a JSON parser. System.Text.Json is part of .NET 8, so this part of the model compiles
// for net8.0 only: config projects run on .NET 8 or later, and the netstandard2.0 build keeps no dependencies.
public sealed partial record ModelArchitecture
{
    /// <summary>
    /// The architecture described by a Hugging Face <c>config.json</c>: layers, heads, head dim, context (with
    /// YaRN rope scaling as vLLM applies it), MLA, sliding-window and chunked patterns, gated-delta-net
    /// layers, mixture of experts and <c>quantization_config</c>. Multimodal configs are read from their
    /// <c>text_config</c>. Parameter counts are computed from the shapes (language model only, vision towers
    /// excluded): set <see cref="ParametersBillions"/> with <c>with</c> when the model card states another figure.
    /// </summary>
    /// <exception cref="FormatException">The text is not a config.json this method can read; the message names the key and says what to declare instead.</exception>
    public static ModelArchitecture FromConfigJson(string json) =>
        TryFromConfigJson(json, out var architecture, out var error) ? architecture! : throw new FormatException(error);

    /// <summary>Like <see cref="FromConfigJson"/>, returning false with the reason instead of throwing.</summary>
    public static bool TryFromConfigJson(string json, out ModelArchitecture? architecture, out string? error)
    {
        architecture = null;
        error = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "config.json is empty. Paste the model's config.json, or declare ModelArchitecture yourself.";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "config.json must be a JSON object.";
                return false;
            }

            architecture = new HuggingFaceConfig(document.RootElement).ToArchitecture();
            return true;
        }
        catch (JsonException e)
        {
            error = $"config.json is not valid JSON ({e.Message}).";
            return false;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>One config.json, with the text model's keys preferred over the outer wrapper's.</summary>
    private sealed class HuggingFaceConfig(JsonElement root)
    {
        private readonly JsonElement _text = root.TryGetProperty("text_config", out var text) && text.ValueKind == JsonValueKind.Object ? text : root;
        private readonly bool _nested = root.TryGetProperty("text_config", out var nested) && nested.ValueKind == JsonValueKind.Object;

        public ModelArchitecture ToArchitecture()
        {
            var layers = RequiredInt("num_hidden_layers");
            var heads = RequiredInt("num_attention_heads");
            var kvHeads = Int("num_key_value_heads") ?? heads;
            var hidden = Int("hidden_size");
            var vocab = Int("vocab_size");
            var isMla = Int("kv_lora_rank") is not null;
            var headDim = isMla ? RequiredInt("qk_nope_head_dim") + RequiredInt("qk_rope_head_dim") : Int("head_dim") ?? DerivedHeadDim(hidden, heads);
            var groups = LayerGroupsOf(layers, isMla);
            var parameters = ParameterCount(layers, heads, kvHeads, headDim, hidden, vocab, groups);
            return new ModelArchitecture
            {
                ParametersBillions = Math.Round(parameters.Total / 1e9, 2),
                Layers = layers,
                AttentionHeads = heads,
                KvHeads = kvHeads,
                HeadDim = headDim,
                MaxContextTokens = MaxContext(),
                Dtype = WeightFormat(),
                HiddenSize = hidden,
                VocabSize = vocab,
                LayerGroups = groups.Count == 1 && groups[0].Kind == AttentionKind.Full ? null : groups,
                ActiveParametersBillions = parameters.Experts > 0 ? Math.Round(parameters.Active / 1e9, 2) : null,
                ExpertParametersBillions = parameters.Experts > 0 ? Math.Round(parameters.Experts / 1e9, 2) : null,
                Source = "config.json" + (String(root, "_name_or_path") is { Length: > 0 } name ? " of " + name : string.Empty),
            };
        }

        private static int DerivedHeadDim(int? hidden, int heads)
        {
            if (hidden is not { } h)
            {
                throw new FormatException("config.json has neither 'head_dim' nor 'hidden_size', so the head dimension is unknown. Declare HeadDim.");
            }

            if (h % heads != 0)
            {
                throw new FormatException($"config.json has no 'head_dim' and hidden_size {h} is not a multiple of num_attention_heads {heads}. Declare HeadDim.");
            }

            return h / heads;
        }

        private int MaxContext()
        {
            var positions = RequiredInt("max_position_embeddings");
            var scaling = Object("rope_scaling") ?? Object("rope_parameters");
            if (scaling is not { } rope)
            {
                return positions;
            }

            // vLLM ModelConfig._get_and_verify_max_len takes YaRN's original length x factor. It also multiplies
            // max_position_embeddings by linear and dynamic factors, but configs of 2025-2026 models (Gemma 3) already
            // state the scaled length there, so only YaRN is applied here; declare MaxContextTokens otherwise.
            var type = String(rope, "rope_type") ?? String(rope, "type");
            return type == "yarn" && Number(rope, "factor") is { } f && f > 1
                ? (int)Math.Min(int.MaxValue, (Int(rope, "original_max_position_embeddings") ?? positions) * f)
                : positions;
        }

        private WeightDtype WeightFormat()
        {
            if (Object(root, "quantization_config") is not { } quantization)
            {
                var dtype = String(_text, "torch_dtype") ?? String(root, "torch_dtype") ?? String(_text, "dtype") ?? String(root, "dtype");
                return dtype switch
                {
                    "bfloat16" => WeightDtype.BFloat16,
                    "float16" => WeightDtype.Float16,
                    "float32" => WeightDtype.Float32,
                    null => throw new FormatException("config.json has no 'torch_dtype' (or 'dtype') and no 'quantization_config', so the weight format is unknown. Declare Dtype."),
                    _ => throw new FormatException($"config.json torch_dtype '{dtype}' is not a weight format ConfigAsCode knows. Declare Dtype."),
                };
            }

            var method = String(quantization, "quant_method") ?? throw new FormatException("config.json quantization_config has no 'quant_method'. Declare Dtype.");
            var bits = Int(quantization, "bits") ?? Int(quantization, "w_bit");
            switch (method)
            {
                case "fp8" or "fbgemm_fp8":
                    return WeightDtype.Fp8;
                case "mxfp4":
                    return WeightDtype.Mxfp4;
                case "modelopt_fp4":
                    return WeightDtype.Nvfp4;
                case "modelopt":
                    return String(quantization, "quant_algo") switch
                    {
                        "NVFP4" => WeightDtype.Nvfp4,
                        "FP8" => WeightDtype.Fp8,
                        var algorithm => throw new FormatException($"config.json quantization_config.quant_algo '{algorithm}' is not a format ConfigAsCode knows. Declare Dtype."),
                    };
                case "awq" or "gptq" or "awq_marlin" or "gptq_marlin":
                    return bits switch
                    {
                        4 => WeightDtype.Int4,
                        8 => WeightDtype.Int8,
                        _ => throw new FormatException($"config.json quantization_config ({method}) has bits {bits?.ToString(CultureInfo.InvariantCulture) ?? "unset"}; only 4 and 8 are known. Declare Dtype."),
                    };
                case "bitsandbytes":
                    return Bool(quantization, "load_in_8bit") == true ? WeightDtype.Int8 : WeightDtype.Int4;
                case "compressed-tensors":
                    return CompressedTensorsFormat(quantization);
                default:
                    throw new FormatException($"config.json quantization_config.quant_method '{method}' is not a format ConfigAsCode knows. Declare Dtype (and CheckpointGiB if you know the size).");
            }
        }

        private static WeightDtype CompressedTensorsFormat(JsonElement quantization)
        {
            if (Object(quantization, "config_groups") is { } groups)
            {
                foreach (var group in groups.EnumerateObject())
                {
                    if (group.Value.ValueKind == JsonValueKind.Object && Object(group.Value, "weights") is { } weights && Int(weights, "num_bits") is { } bits)
                    {
                        var isFloat = String(weights, "type") == "float";
                        return (bits, isFloat) switch
                        {
                            (4, true) => WeightDtype.Nvfp4,
                            (4, false) => WeightDtype.Int4,
                            (8, true) => WeightDtype.Fp8,
                            (8, false) => WeightDtype.Int8,
                            _ => throw new FormatException($"config.json compressed-tensors weights of {bits} bits are not a format ConfigAsCode knows. Declare Dtype."),
                        };
                    }
                }
            }

            throw new FormatException("config.json compressed-tensors quantization_config has no config_groups with weights.num_bits. Declare Dtype.");
        }

        private List<LayerGroup> LayerGroupsOf(int layers, bool isMla)
        {
            foreach (var unsupported in new[] { "hybrid_override_pattern", "layers_block_type", "attn_layer_period", "layer_block_types" })
            {
                if (_text.TryGetProperty(unsupported, out _))
                {
                    throw new FormatException($"config.json has '{unsupported}': this hybrid layout is not read yet. Declare LayerGroups (LayerGroup.Full / LayerGroup.StateSpace with the state bytes per request).");
                }
            }

            if (isMla)
            {
                return [LayerGroup.Mla(layers, RequiredInt("kv_lora_rank"), RequiredInt("qk_rope_head_dim"))];
            }

            var kinds = LayerKinds(layers);
            var groups = new List<LayerGroup>();
            foreach (var kind in kinds.Distinct())
            {
                var count = kinds.Count(k => k == kind);
                groups.Add(kind switch
                {
                    "full_attention" => LayerGroup.Full(count),
                    "sliding_attention" => LayerGroup.Sliding(count, RequiredInt("sliding_window")),
                    "chunked_attention" => LayerGroup.Chunked(count, RequiredInt("attention_chunk_size")),
                    "linear_attention" => LayerGroup.StateSpace(count, GatedDeltaNetStateBytes()),
                    _ => throw new FormatException($"config.json layer type '{kind}' is not known. Declare LayerGroups."),
                });
            }

            return groups;
        }

        /// <summary>The attention type of every layer, from whichever of the known layouts the config uses.</summary>
        private List<string> LayerKinds(int layers)
        {
            if (_text.TryGetProperty("layer_types", out var types) && types.ValueKind == JsonValueKind.Array)
            {
                var kinds = types.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new FormatException("config.json layer_types must be strings.")).ToList();
                if (kinds.Count != layers)
                {
                    throw new FormatException($"config.json layer_types lists {kinds.Count} layers but num_hidden_layers is {layers}.");
                }

                return kinds;
            }

            var all = Enumerable.Range(0, layers);
            if (Int("full_attention_interval") is { } interval and > 0)
            {
                // Qwen3-Next / Qwen3.5: every interval-th layer is full attention, the rest gated delta net.
                return all.Select(i => (i + 1) % interval == 0 ? "full_attention" : "linear_attention").ToList();
            }

            if (Int("attention_chunk_size") is not null)
            {
                // Llama 4: no_rope_layers[i] == 0 marks a global (NoPE) layer; the others use chunked local attention.
                if (_text.TryGetProperty("no_rope_layers", out var noRope) && noRope.ValueKind == JsonValueKind.Array && noRope.GetArrayLength() == layers)
                {
                    return noRope.EnumerateArray().Select(v => v.TryGetInt32(out var useRope) && useRope == 0 ? "full_attention" : "chunked_attention").ToList();
                }

                var nope = Int("nope_layer_interval") ?? 4;
                return all.Select(i => (i + 1) % nope == 0 ? "full_attention" : "chunked_attention").ToList();
            }

            var window = Int("sliding_window");
            if (window is null || Bool(_text, "use_sliding_window") == false)
            {
                return all.Select(_ => "full_attention").ToList();
            }

            if (Int("sliding_window_pattern") is { } pattern and > 0)
            {
                // Gemma 3: pattern - 1 sliding layers, then one global layer.
                return all.Select(i => (i + 1) % pattern == 0 ? "full_attention" : "sliding_attention").ToList();
            }

            if (String(_text, "model_type") == "gemma2")
            {
                return all.Select(i => i % 2 == 0 ? "sliding_attention" : "full_attention").ToList();
            }

            // Mistral-7B-v0.1 and its kin: every layer slides.
            return all.Select(_ => "sliding_attention").ToList();
        }

        /// <summary>vLLM MambaStateShapeCalculator.gated_delta_net_state_shape: conv state plus recurrent state of one layer.</summary>
        private long GatedDeltaNetStateBytes()
        {
            var keyHeads = RequiredInt("linear_num_key_heads");
            var valueHeads = RequiredInt("linear_num_value_heads");
            var keyDim = RequiredInt("linear_key_head_dim");
            var valueDim = RequiredInt("linear_value_head_dim");
            var kernel = RequiredInt("linear_conv_kernel_dim");
            var activationBytes = WeightFormat() == WeightDtype.Float32 ? 4 : 2;
            var stateBytes = String(_text, "mamba_ssm_dtype") == "float32" ? 4 : activationBytes;
            var convDim = ((long)keyDim * keyHeads * 2) + ((long)valueDim * valueHeads);
            return (convDim * (kernel - 1) * activationBytes) + ((long)valueHeads * keyDim * valueDim * stateBytes);
        }

        private (double Total, double Active, double Experts) ParameterCount(int layers, int heads, int kvHeads, int headDim, int? hidden, int? vocab, List<LayerGroup> groups)
        {
            var h = (double)(hidden ?? throw new FormatException("config.json has no 'hidden_size', so the parameter count cannot be computed. Declare the architecture yourself."));
            var embeddings = (double)(vocab ?? throw new FormatException("config.json has no 'vocab_size', so the parameter count cannot be computed. Declare the architecture yourself.")) * h;
            var total = Bool(_text, "tie_word_embeddings") == true || Bool(root, "tie_word_embeddings") == true ? embeddings : 2 * embeddings;

            // Attention projections per layer kind.
            foreach (var group in groups)
            {
                double perLayer;
                if (group.Kind == AttentionKind.Mla)
                {
                    var rope = RequiredInt("qk_rope_head_dim");
                    var nope = RequiredInt("qk_nope_head_dim");
                    var v = RequiredInt("v_head_dim");
                    var q = Int("q_lora_rank") is { } qLora ? (h * qLora) + ((double)qLora * heads * (nope + rope)) : h * heads * (nope + rope);
                    perLayer = q + (h * (group.KvLoraRank + rope)) + ((double)group.KvLoraRank * heads * (nope + v)) + ((double)heads * v * h);
                }
                else if (group.Kind == AttentionKind.StateSpace)
                {
                    var keyDim = (double)RequiredInt("linear_num_key_heads") * RequiredInt("linear_key_head_dim");
                    var valueHeads = RequiredInt("linear_num_value_heads");
                    var valueDim = (double)valueHeads * RequiredInt("linear_value_head_dim");
                    perLayer = (h * ((2 * keyDim) + (2 * valueDim))) + (h * 2 * valueHeads) + (valueDim * h) + (((2 * keyDim) + valueDim) * RequiredInt("linear_conv_kernel_dim"));
                }
                else
                {
                    perLayer = (2 * h * heads * headDim) + (2 * h * kvHeads * headDim);
                }

                total += perLayer * group.Layers;
            }

            // Feed-forward: dense layers, MoE layers and their shared experts.
            var experts = Int("num_local_experts") ?? Int("n_routed_experts") ?? Int("num_experts") ?? 0;
            var intermediate = Int("intermediate_size_mlp") ?? Int("intermediate_size");
            if (experts <= 1)
            {
                total += 3 * h * (intermediate ?? throw new FormatException("config.json has no 'intermediate_size'. Declare the architecture yourself.")) * layers;
                return (total, total, 0);
            }

            var perToken = Int("num_experts_per_tok") ?? Int("experts_per_token") ?? throw new FormatException("config.json declares experts but no 'num_experts_per_tok'. Declare ActiveParametersBillions.");
            var expertWidth = Int("moe_intermediate_size") ?? Int("intermediate_size") ?? throw new FormatException("config.json declares experts but no 'moe_intermediate_size' or 'intermediate_size'. Declare the architecture yourself.");
            var sharedWidth = Int("shared_expert_intermediate_size") ?? ((Int("n_shared_experts") ?? 0) * expertWidth);
            if (String(_text, "model_type") is "llama4_text" or "llama4")
            {
                sharedWidth = expertWidth;
            }

            var moeLayers = MoeLayerCount(layers);
            var expertParameters = (double)experts * 3 * h * expertWidth * moeLayers;
            total += expertParameters + (3 * h * sharedWidth * moeLayers) + (h * experts * moeLayers);
            total += 3 * h * (intermediate ?? 0) * (layers - moeLayers);
            return (total, total - expertParameters + (expertParameters * perToken / experts), expertParameters);
        }

        private int MoeLayerCount(int layers)
        {
            if (Int("first_k_dense_replace") is { } dense)
            {
                return Math.Max(0, layers - dense);
            }

            var step = Int("interleave_moe_layer_step") ?? Int("decoder_sparse_step") ?? 1;
            var mlpOnly = _text.TryGetProperty("mlp_only_layers", out var only) && only.ValueKind == JsonValueKind.Array ? only.GetArrayLength() : 0;
            return step <= 1 ? layers - mlpOnly : layers / step;
        }

        private int RequiredInt(string key) =>
            Int(key) ?? throw new FormatException($"config.json has no '{key}'. Paste the model's complete config.json, or declare ModelArchitecture yourself.");

        private int? Int(string key) => Int(_text, key) ?? (_nested ? Int(root, key) : null);

        private JsonElement? Object(string key) => Object(_text, key) ?? Object(root, key);

        private static int? Int(JsonElement element, string key)
        {
            if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            {
                return number;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var real) && real == Math.Floor(real) && real is >= int.MinValue and <= int.MaxValue)
            {
                return (int)real;
            }

            throw new FormatException($"config.json '{key}' must be a whole number, not {value.GetRawText()}.");
        }

        private static double? Number(JsonElement element, string key) =>
            element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

        private static string? String(JsonElement element, string key) =>
            element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static bool? Bool(JsonElement element, string key) =>
            element.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

        private static JsonElement? Object(JsonElement element, string key) =>
            element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;
    }
}
#endif
