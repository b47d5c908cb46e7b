using System.Text.Json.Nodes;
using PolicyMatch.Rules.Evaluation;

namespace PolicyMatch.Rules;

/// <summary>
/// A JsonLogic rule parsed and compiled once (to closures; for profiles also to an expression tree).
/// Immutable and thread-safe.
/// </summary>
public sealed class CompiledRule
{
    private readonly Eval _eval;
    private Pred? _kleene;
    private Pred? _plain;
    private (OpNode Node, int Depth, Eval Eval)[]? _traceNodes;

    private readonly bool _charged;

    private CompiledRule(Node root, Eval eval)
    {
        Root = root;
        _eval = eval;
        _charged = Budget.IsCharged(root);
    }

    internal Node Root { get; }

    /// <summary>Compiles a rule; throws <see cref="JsonLogicException"/> for unknown operators and malformed rules.</summary>
    public static CompiledRule Compile(JsonNode? rule) => Compile(rule, Parser.Root);

    internal static CompiledRule Compile(JsonNode? rule, string rootPath)
    {
        var root = Parser.Parse(rule, rootPath);
        return new CompiledRule(root, Interpreter.Instance.Compile(root));
    }

    /// <summary>Plain two-valued JsonLogic, as json-logic-js answers (numbers are decimal; NaN and Infinity become null).</summary>
    public JsonNode? Apply(JsonNode? data) => Apply(data, EvaluationLimits.Default, CancellationToken.None);

    /// <summary>
    /// Plain JsonLogic within <paramref name="limits"/>; throws <see cref="RuleLimitException"/> when one is reached
    /// and <see cref="OperationCanceledException"/> when <paramref name="cancellation"/> fires (checked per loop step).
    /// </summary>
    public JsonNode? Apply(JsonNode? data, EvaluationLimits limits, CancellationToken cancellation) =>
        ValJson.ToNode(_eval(new Scope(ValJson.FromNode(data), null, false, new Budget(limits, cancellation))));

    /// <summary>
    /// Three-valued (Kleene) mode on raw data: a var whose value is absent or null is unknown; the missing facts
    /// are the var paths as written. No derived facts: use <see cref="ApplyThreeValued(ProfileFacts)"/> for profiles.
    /// </summary>
    public ThreeValuedResult ApplyThreeValued(JsonNode? data) => ApplyThreeValued(data, EvaluationLimits.Default, CancellationToken.None);

    /// <summary>Three-valued mode on raw data within <paramref name="limits"/> (see <see cref="Apply(JsonNode?, EvaluationLimits, CancellationToken)"/>).</summary>
    public ThreeValuedResult ApplyThreeValued(JsonNode? data, EvaluationLimits limits, CancellationToken cancellation) =>
        ToResult(_eval(new Scope(ValJson.FromNode(data), null, true, new Budget(limits, cancellation))));

    /// <summary>Three-valued mode on a profile (public and derived facts); missing facts are public fact names.</summary>
    public ThreeValuedResult ApplyThreeValued(ProfileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var tri = KleenePredicate(facts);
        return tri switch
        {
            Tri.True => Met,
            Tri.False => NotMet,
            _ => ToResult(EvalKleene(facts)),
        };
    }

    /// <summary>Plain JsonLogic on a profile, reduced to truthiness (an unknown fact reads as null).</summary>
    public bool IsTruthy(ProfileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return (_plain ??= FastCompiler.Compile(Root, kleene: false)).Eval(facts.Fast, facts) == Tri.True;
    }

    /// <summary>Plain JsonLogic on a profile (public and derived facts), result as JSON.</summary>
    public JsonNode? Apply(ProfileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return ValJson.ToNode(_eval(new Scope(default, facts, false, NewBudget())));
    }

    /// <summary>
    /// Compiles the profile predicates (both modes) now instead of on first use, e.g. while warming a cache.
    /// </summary>
    public void PrepareForProfiles()
    {
        _kleene ??= FastCompiler.Compile(Root, kleene: true);
        _plain ??= FastCompiler.Compile(Root, kleene: false);
    }

    /// <summary>
    /// Every operation of the rule with its value for the profile (three-valued by default), root first, for the
    /// "why" page. Each operation is evaluated on its own, so operands that short-circuiting would skip are shown
    /// too. The logic inside map/filter/reduce/all/none/some runs per element and is not listed.
    /// </summary>
    public IReadOnlyList<RuleTraceStep> Trace(ProfileFacts facts, bool threeValued = true)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var nodes = _traceNodes ??= TraceNodes();
        var steps = new RuleTraceStep[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            var (node, depth, eval) = nodes[i];
            // Each operation is evaluated on its own, so each gets its own budget.
            var v = eval(new Scope(default, facts, threeValued, NewBudget()));
            steps[i] = new RuleTraceStep(
                node.Path, depth, node.Name, v.IsUnknown ? null : ValJson.ToNode(v), v.IsUnknown, v.IsUnknown ? v.Missing?.Names ?? [] : []);
        }

        return steps;
    }

    private (OpNode, int, Eval)[] TraceNodes()
    {
        var list = new List<(OpNode, int, Eval)>();
        void Walk(Node n, int depth)
        {
            if (n is ArrayNode a)
            {
                foreach (var item in a.Items)
                {
                    Walk(item, depth);
                }
            }

            if (n is not OpNode op)
            {
                return;
            }

            list.Add((op, depth, Interpreter.Instance.Compile(op)));
            var scoped = op.Name is "map" or "filter" or "reduce" or "all" or "none" or "some";
            for (var i = 0; i < op.Args.Length; i++)
            {
                // The second argument of the collection operators runs with each element as data.
                if (!(scoped && i == 1))
                {
                    Walk(op.Args[i], depth + 1);
                }
            }
        }

        Walk(Root, 0);
        return [.. list];
    }

    /// <summary>The compiled three-valued predicate for profiles (built on first use).</summary>
    internal int KleenePredicate(ProfileFacts facts) => KleenePred.Eval(facts.Fast, facts);

    internal Pred KleenePred => _kleene ??= FastCompiler.Compile(Root, kleene: true);

    /// <summary>The interpreter in three-valued mode: slower, but it collects what is missing.</summary>
    internal Val EvalKleene(ProfileFacts facts) => _eval(new Scope(default, facts, true, NewBudget()));

    internal Val EvalPlain(ProfileFacts facts) => _eval(new Scope(default, facts, false, NewBudget()));

    /// <summary>A budget for one evaluation, only for rules that can be charged (others never read it).</summary>
    private Budget? NewBudget() => _charged ? new Budget(EvaluationLimits.Default, CancellationToken.None) : null;

    private static readonly ThreeValuedResult Met = new(CriterionResult.Met, []);
    private static readonly ThreeValuedResult NotMet = new(CriterionResult.NotMet, []);

    private static ThreeValuedResult ToResult(in Val v) =>
        v.IsUnknown ? new(CriterionResult.Unknown, v.Missing?.Names ?? [])
        : Js.Truthy(v) ? Met
        : NotMet;
}
