using System.Text.Json.Nodes;
using PolicyMatch.Rules;

namespace PolicyMatch.Web.Infrastructure.Web;

/// <summary>
/// The rules engine's evaluation limits (<see cref="EvaluationLimits"/>) as the portal meets them: a check that a
/// rule about to be stored (import, authoring) fits them, and the message in the user's language.
/// </summary>
public static class RuleLimits
{
    private static readonly ProfileFacts EmptyProfile = ProfileFacts.From(new JsonObject(), new DateOnly(2026, 1, 1));

    /// <summary>
    /// Evaluates the rule once against an empty profile: a rule whose loops run over constants (the costly kind)
    /// reaches a limit here whatever the company, so it is refused before it is stored rather than failing on
    /// every matches page. Loops over a profile's own lists are bounded by the profile's validation.
    /// </summary>
    public static RuleLimitException? Probe(CompiledRule rule)
    {
        try
        {
            rule.ApplyThreeValued(EmptyProfile);
            rule.IsTruthy(EmptyProfile);
            return null;
        }
        catch (RuleLimitException e)
        {
            return e;
        }
    }

    public static string Describe(RuleLimitException e) => e.Limit switch
    {
        RuleLimit.Steps => L.T(
            $"规则计算量超出上限:每次计算最多 {e.Allowed:N0} 步(map、filter、reduce、all、none、some 每处理一个元素,按其内部规则的节点数计步)",
            e.Reason),
        _ => L.T(
            $"规则生成的值超出上限:每次计算最多生成 {e.Allowed:N0} 个字符和数组元素(cat、map、filter、merge)",
            e.Reason),
    };
}
