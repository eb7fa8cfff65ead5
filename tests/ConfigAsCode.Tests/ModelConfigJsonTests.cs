using System;
using System.Linq;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary><see cref="ModelArchitecture.FromConfigJson"/> on config.json shapes of the models people deploy.</summary>
public sealed class ModelConfigJsonTests
{
    [Fact]
    public void A_dense_llama_reads_layers_heads_context_and_its_parameter_count()
    {
        var a = ModelArchitecture.FromConfigJson(ConfigJsons.Llama31_405B);

        Assert.Equal((126, 128, 8, 128, 131_072), (a.Layers, a.AttentionHeads, a.KvHeads, a.HeadDim, a.MaxContextTokens));
        Assert.InRange(a.ParametersBillions, 405.9 * 0.98, 405.9 * 1.02);
        Assert.Equal(WeightDtype.BFloat16, a.Dtype);
        Assert.Null(a.LayerGroups);
        Assert.Null(a.ActiveParametersBillions);
        Assert.Equal((16_384, 128_256), (a.HiddenSize!.Value, a.VocabSize!.Value));
    }

    [Fact]
    public void DeepSeek_V3_reads_as_MLA_fp8_mixture_of_experts_with_its_YaRN_context()
    {
        var a = ModelArchitecture.FromConfigJson(ConfigJsons.DeepSeekV3);

        var mla = Assert.Single(a.LayerGroups!);
        Assert.Equal((AttentionKind.Mla, 61, 512, 64), (mla.Kind, mla.Layers, mla.KvLoraRank, mla.RopeHeadDim));
        Assert.Equal(163_840, a.MaxContextTokens); // 4096 x 40
        Assert.Equal(WeightDtype.Fp8, a.Dtype);
        Assert.InRange(a.ParametersBillions, 671 * 0.98, 671 * 1.02);
        Assert.InRange(a.ActiveParametersBillions!.Value, 37 * 0.95, 37 * 1.05);
        Assert.InRange(a.ExpertParametersBillions!.Value, 650, 660);
    }

    [Fact]
    public void Gemma_3_reads_its_text_config_and_five_sliding_layers_to_one_global()
    {
        var a = ModelArchitecture.FromConfigJson(ConfigJsons.Gemma3_27B);

        Assert.Equal((62, 32, 16, 128, 131_072), (a.Layers, a.AttentionHeads, a.KvHeads, a.HeadDim, a.MaxContextTokens));
        Assert.Equal(new[] { LayerGroup.Sliding(52, 1024), LayerGroup.Full(10) }, a.LayerGroups!.ToArray());
        Assert.InRange(a.ParametersBillions, 27.0 * 0.97, 27.4 * 1.02); // language model only; the vision tower is not counted
    }

    [Fact]
    public void Gpt_oss_reads_layer_types_mxfp4_and_its_experts()
    {
        var a = ModelArchitecture.FromConfigJson(ConfigJsons.GptOss120B);

        Assert.Equal(new[] { LayerGroup.Sliding(18, 128), LayerGroup.Full(18) }, a.LayerGroups!.ToArray());
        Assert.Equal(WeightDtype.Mxfp4, a.Dtype);
        Assert.Equal(131_072, a.MaxContextTokens);
        Assert.InRange(a.ParametersBillions, 116.8 * 0.98, 116.8 * 1.02);

        // 4 of 128 experts plus attention and embeddings: 5.7 B by shape; the model card's 5.1 B leaves the embeddings out.
        Assert.InRange(a.ActiveParametersBillions!.Value, 5.1, 5.8);
        Assert.InRange(ModelCatalog.GptOss120B.Architecture.ParametersBillions, a.ParametersBillions * 0.99, a.ParametersBillions * 1.01);
    }

    [Fact]
    public void Qwen3_MoE_reads_its_experts_and_keeps_every_layer_full_attention()
    {
        var a = ModelArchitecture.FromConfigJson(ConfigJsons.Qwen3_235B);

        Assert.Null(a.LayerGroups);
        Assert.Equal(4, a.KvHeads);
        Assert.InRange(a.ParametersBillions, 235 * 0.98, 235 * 1.02);
        Assert.InRange(a.ActiveParametersBillions!.Value, 22 * 0.95, 22 * 1.05);
    }

    [Fact]
    public void Llama_4_reads_36_chunked_and_12_global_layers()
    {
        var a = ModelArchitecture.FromConfigJson(ConfigJsons.Llama4Scout);

        Assert.Equal(new[] { LayerGroup.Chunked(36, 8192), LayerGroup.Full(12) }, a.LayerGroups!.ToArray());
        Assert.Equal(10_485_760, a.MaxContextTokens);
        Assert.InRange(a.ParametersBillions, 105, 110); // 109 B with the vision encoder
        Assert.InRange(a.ActiveParametersBillions!.Value, 16, 18.5);
    }

    [Fact]
    public void A_declared_head_dim_wins_over_hidden_size_over_heads()
    {
        var a = ModelArchitecture.FromConfigJson(ConfigJsons.MistralSmall31);

        Assert.Equal(128, a.HeadDim); // 5120 / 32 would give 160
        Assert.InRange(a.ParametersBillions, 23.0, 24.5);
    }

    [Fact]
    public void An_AWQ_checkpoint_reads_as_int4()
    {
        Assert.Equal(WeightDtype.Int4, ModelArchitecture.FromConfigJson(ConfigJsons.Llama31_8BAwq).Dtype);
    }

    [Fact]
    public void A_hybrid_gated_delta_net_model_reads_as_full_and_state_space_layers()
    {
        var a = ModelArchitecture.FromConfigJson(ConfigJsons.Qwen3Next80B);

        var groups = a.LayerGroups!;
        Assert.Equal(2, groups.Count);
        Assert.Equal((AttentionKind.StateSpace, 36), (groups[0].Kind, groups[0].Layers));
        Assert.Equal((3 * 8192 * 2) + (32 * 128 * 128 * 4), groups[0].StateBytesPerRequest);
        Assert.Equal(LayerGroup.Full(12), groups[1]);
        Assert.InRange(a.ParametersBillions, 78, 82);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("""{ "num_attention_heads": 32, "max_position_embeddings": 4096 }""", "'num_hidden_layers'")]
    [InlineData("""{ "num_hidden_layers": "32", "num_attention_heads": 32 }""", "'num_hidden_layers' must be a whole number")]
    [InlineData("""{ "num_hidden_layers": 32, "num_attention_heads": 32, "hidden_size": 4096, "max_position_embeddings": 4096, "vocab_size": 32000, "intermediate_size": 11008, "quantization_config": { "quant_method": "quark" } }""", "'quark' is not a format")]
    [InlineData("""{ "num_hidden_layers": 32, "num_attention_heads": 32, "hidden_size": 4096, "max_position_embeddings": 4096, "vocab_size": 32000, "intermediate_size": 11008 }""", "'torch_dtype'")]
    [InlineData("""{ "num_hidden_layers": 4, "num_attention_heads": 32, "hidden_size": 4096, "max_position_embeddings": 4096, "vocab_size": 32000, "intermediate_size": 11008, "torch_dtype": "bfloat16", "hybrid_override_pattern": "M-M*" }""", "Declare LayerGroups")]
    [InlineData("""{ "num_hidden_layers": 4, "num_attention_heads": 32, "hidden_size": 4096, "max_position_embeddings": 4096, "vocab_size": 32000, "intermediate_size": 11008, "torch_dtype": "bfloat16", "layer_types": ["full_attention"] }""", "lists 1 layers but num_hidden_layers is 4")]
    public void A_config_that_cannot_be_read_says_why_instead_of_guessing(string json, string reason)
    {
        var e = Assert.Throws<FormatException>(() => ModelArchitecture.FromConfigJson(json));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(ModelArchitecture.TryFromConfigJson(json, out var architecture, out var error));
        Assert.Null(architecture);
        Assert.Equal(e.Message, error);
    }

    [Fact]
    public void The_catalog_entries_agree_with_their_config_json_within_2_percent()
    {
        foreach (var (json, model) in new (string, CatalogModel)[]
        {
            (ConfigJsons.Llama31_405B, ModelCatalog.Llama31_405B), (ConfigJsons.DeepSeekV3, ModelCatalog.DeepSeekV3), (ConfigJsons.Gemma3_27B, ModelCatalog.Gemma3_27B),
            (ConfigJsons.GptOss120B, ModelCatalog.GptOss120B), (ConfigJsons.Qwen3_235B, ModelCatalog.Qwen3_235BA22B), (ConfigJsons.Llama4Scout, ModelCatalog.Llama4Scout),
            (ConfigJsons.MistralSmall31, ModelCatalog.MistralSmall31),
        })
        {
            var read = ModelArchitecture.FromConfigJson(json);
            var c = model.Architecture;
            Assert.Equal((c.Layers, c.AttentionHeads, c.KvHeads, c.HeadDim, c.MaxContextTokens, c.HiddenSize, c.VocabSize), (read.Layers, read.AttentionHeads, read.KvHeads, read.HeadDim, read.MaxContextTokens, read.HiddenSize, read.VocabSize));
            Assert.Equal(c.EffectiveLayerGroups.ToArray(), read.EffectiveLayerGroups.ToArray());
            Assert.True(c.ExpertParametersBillions is null == read.ExpertParametersBillions is null, model.Name);
            if (c.ExpertParametersBillions is { } experts)
            {
                Assert.InRange(read.ExpertParametersBillions!.Value, experts * 0.98, experts * 1.02);
            }
        }
    }
}
