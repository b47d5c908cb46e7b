using System.Text.Json.Nodes;

namespace PolicyMatch.Rules;

/// <summary>
/// One operation of a rule and its value for a profile, for the "why" page. <see cref="Depth"/> is the nesting
/// level (0 for the root) so the steps can be shown as an indented tree in <see cref="Path"/> order.
/// </summary>
public sealed record RuleTraceStep(
    string Path, int Depth, string Operator, JsonNode? Value, bool IsUnknown, IReadOnlyList<string> MissingFacts);
