using System.Text.Json.Nodes;

namespace PolicyMatch.Rules;

/// <summary>One-shot helpers; prefer <see cref="CompiledRule"/> when a rule is applied more than once.</summary>
public static class JsonLogic
{
    public static JsonNode? Apply(JsonNode? rule, JsonNode? data) => CompiledRule.Compile(rule).Apply(data);
}
