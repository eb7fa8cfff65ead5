namespace ConfigAsCode.Tests;

/// <summary>
/// config.json files in the shape Hugging Face publishes them, with the values of SERVING-2026.md §2 (trimmed to
/// the keys that describe the language model; every key here is one the real file has).
/// </summary>
internal static class ConfigJsons
{
    public const string Llama31_405B = """
        {
          "architectures": ["LlamaForCausalLM"], "model_type": "llama",
          "hidden_size": 16384, "intermediate_size": 53248, "max_position_embeddings": 131072,
          "num_attention_heads": 128, "num_hidden_layers": 126, "num_key_value_heads": 8,
          "rope_scaling": { "factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3" },
          "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256
        }
        """;

    public const string DeepSeekV3 = """
        {
          "architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3",
          "first_k_dense_replace": 3, "hidden_size": 7168, "intermediate_size": 18432, "kv_lora_rank": 512,
          "max_position_embeddings": 163840, "moe_intermediate_size": 2048, "n_group": 8, "n_routed_experts": 256,
          "n_shared_experts": 1, "num_attention_heads": 128, "num_experts_per_tok": 8, "num_hidden_layers": 61,
          "num_key_value_heads": 128, "num_nextn_predict_layers": 1, "q_lora_rank": 1536, "qk_nope_head_dim": 128,
          "qk_rope_head_dim": 64, "v_head_dim": 128,
          "quantization_config": { "activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8", "weight_block_size": [128, 128] },
          "rope_scaling": { "beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 1.0, "mscale_all_dim": 1.0, "original_max_position_embeddings": 4096, "type": "yarn" },
          "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 129280
        }
        """;

    public const string Gemma3_27B = """
        {
          "architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
          "text_config": {
            "head_dim": 128, "hidden_size": 5376, "intermediate_size": 21504, "max_position_embeddings": 131072,
            "model_type": "gemma3_text", "num_attention_heads": 32, "num_hidden_layers": 62, "num_key_value_heads": 16,
            "query_pre_attn_scalar": 168, "rope_scaling": { "factor": 8.0, "rope_type": "linear" },
            "sliding_window": 1024, "sliding_window_pattern": 6, "vocab_size": 262208
          },
          "vision_config": { "hidden_size": 1152, "num_hidden_layers": 27 },
          "tie_word_embeddings": true, "torch_dtype": "bfloat16"
        }
        """;

    public static readonly string GptOss120B = """
        {
          "architectures": ["GptOssForCausalLM"], "model_type": "gpt_oss",
          "experts_per_token": 4, "head_dim": 64, "hidden_size": 2880, "intermediate_size": 2880,
          "layer_types": [
        """ + string.Join(", ", System.Linq.Enumerable.Repeat("\"sliding_attention\", \"full_attention\"", 18)) + """
          ],
          "max_position_embeddings": 131072, "num_attention_heads": 64, "num_experts_per_tok": 4, "num_hidden_layers": 36,
          "num_key_value_heads": 8, "num_local_experts": 128,
          "quantization_config": { "modules_to_not_convert": ["model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"], "quant_method": "mxfp4" },
          "rope_scaling": { "beta_fast": 32.0, "beta_slow": 1.0, "factor": 32.0, "original_max_position_embeddings": 4096, "rope_type": "yarn", "truncate": false },
          "sliding_window": 128, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 201088
        }
        """;

    public const string Qwen3_235B = """
        {
          "architectures": ["Qwen3MoeForCausalLM"], "model_type": "qwen3_moe",
          "decoder_sparse_step": 1, "head_dim": 128, "hidden_size": 4096, "intermediate_size": 12288,
          "max_position_embeddings": 40960, "mlp_only_layers": [], "moe_intermediate_size": 1536, "num_attention_heads": 64,
          "num_experts": 128, "num_experts_per_tok": 8, "num_hidden_layers": 94, "num_key_value_heads": 4,
          "sliding_window": null, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "use_sliding_window": false, "vocab_size": 151936
        }
        """;

    public const string Llama4Scout = """
        {
          "architectures": ["Llama4ForConditionalGeneration"], "model_type": "llama4",
          "text_config": {
            "attention_chunk_size": 8192, "head_dim": 128, "hidden_size": 5120, "interleave_moe_layer_step": 1,
            "intermediate_size": 8192, "intermediate_size_mlp": 16384, "max_position_embeddings": 10485760,
            "model_type": "llama4_text", "num_attention_heads": 40, "num_experts_per_tok": 1, "num_hidden_layers": 48,
            "num_key_value_heads": 8, "num_local_experts": 16,
            "no_rope_layers": [1,1,1,0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1,0],
            "vocab_size": 202048, "torch_dtype": "bfloat16"
          },
          "torch_dtype": "bfloat16"
        }
        """;

    public const string MistralSmall31 = """
        {
          "architectures": ["Mistral3ForConditionalGeneration"], "model_type": "mistral3",
          "text_config": {
            "head_dim": 128, "hidden_size": 5120, "intermediate_size": 32768, "max_position_embeddings": 131072,
            "model_type": "mistral", "num_attention_heads": 32, "num_hidden_layers": 40, "num_key_value_heads": 8,
            "sliding_window": null, "vocab_size": 131072
          },
          "torch_dtype": "bfloat16"
        }
        """;

    /// <summary>Qwen3-Next-80B-A3B: every fourth layer full attention, the others gated delta net (a hybrid).</summary>
    public const string Qwen3Next80B = """
        {
          "architectures": ["Qwen3NextForCausalLM"], "model_type": "qwen3_next",
          "decoder_sparse_step": 1, "full_attention_interval": 4, "head_dim": 256, "hidden_size": 2048,
          "intermediate_size": 5120, "linear_conv_kernel_dim": 4, "linear_key_head_dim": 128, "linear_num_key_heads": 16,
          "linear_num_value_heads": 32, "linear_value_head_dim": 128, "mamba_ssm_dtype": "float32",
          "max_position_embeddings": 262144, "mlp_only_layers": [], "moe_intermediate_size": 512, "num_attention_heads": 16,
          "num_experts": 512, "num_experts_per_tok": 10, "num_hidden_layers": 48, "num_key_value_heads": 2,
          "shared_expert_intermediate_size": 512, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 151936
        }
        """;

    public const string Llama31_8BAwq = """
        {
          "architectures": ["LlamaForCausalLM"], "model_type": "llama",
          "hidden_size": 4096, "intermediate_size": 14336, "max_position_embeddings": 131072,
          "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
          "quantization_config": { "bits": 4, "group_size": 128, "modules_to_not_convert": null, "quant_method": "awq", "version": "gemm", "zero_point": true },
          "torch_dtype": "float16", "vocab_size": 128256
        }
        """;
}
