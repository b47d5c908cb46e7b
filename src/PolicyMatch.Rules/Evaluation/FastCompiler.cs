using System.Collections.Frozen;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace PolicyMatch.Rules.Evaluation;

/// <summary>Three-valued truth as small integers: Kleene AND is bitwise &amp;, OR is bitwise |.</summary>
internal static class Tri
{
    public const int False = 0;
    public const int Unknown = 1;
    public const int True = 3;
}

/// <summary>A rule compiled for profiles: returns <see cref="Tri"/>.</summary>
internal delegate int FactsPredicate(ProfileFacts facts);

internal enum CmpOp
{
    Eq,
    StrictEq,
    Ne,
    StrictNe,
    Lt,
    Le,
    Gt,
    Ge,
}

/// <summary>
/// Compiles a parsed rule over profile facts into one expression tree (from the parsed nodes, never from text),
/// then to a delegate. Vars are fact slots read from an array; the common shapes (and/or/not/if, comparisons
/// and <c>in</c> between a fact and a constant) become typed code with a fast path for the expected type and a
/// call into <see cref="Js"/> for anything else, so unexpected values behave exactly as in the interpreter.
/// Nodes without a specialisation are evaluated by the interpreter's closure for that subtree. Tests check both
/// paths agree on generated rules and profiles.
/// </summary>
internal sealed class FastCompiler
{
    private static readonly FieldInfo KindField = typeof(Val).GetField(nameof(Val.Kind))!;
    private static readonly FieldInfo NumField = typeof(Val).GetField(nameof(Val.Num))!;
    private static readonly FieldInfo ObjField = typeof(Val).GetField(nameof(Val.Obj))!;
    private static readonly MethodInfo StringEquals = typeof(string).GetMethod(nameof(string.Equals), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo AsString = typeof(Unsafe).GetMethod(nameof(Unsafe.As), 1, [typeof(object)])!.MakeGenericMethod(typeof(string));
    private static readonly MethodInfo AsArray = typeof(Unsafe).GetMethod(nameof(Unsafe.As), 1, [typeof(object)])!.MakeGenericMethod(typeof(Val[]));

    private static readonly Expression T = Expression.Constant(Tri.True);
    private static readonly Expression F = Expression.Constant(Tri.False);
    private static readonly Expression U = Expression.Constant(Tri.Unknown);

    private readonly ParameterExpression _facts = Expression.Parameter(typeof(ProfileFacts), "facts");
    private readonly ParameterExpression _slots = Expression.Variable(typeof(Val[]), "slots");
    private readonly bool _kleene;

    private FastCompiler(bool kleene) => _kleene = kleene;

    public static FactsPredicate Compile(Node root, bool kleene)
    {
        var c = new FastCompiler(kleene);
        var body = Expression.Block(
            typeof(int),
            [c._slots],
            Expression.Assign(c._slots, Expression.Property(c._facts, kleene ? nameof(ProfileFacts.Kleene) : nameof(ProfileFacts.Plain))),
            c.Truth(root));
        return Expression.Lambda<FactsPredicate>(body, "rule", [c._facts]).Compile();
    }

    // ------------------------------------------------------------------ truth context (returns Tri)

    private Expression Truth(Node node)
    {
        switch (node)
        {
            case LiteralNode lit:
                return Js.Truthy(lit.Value) ? T : F;
            case OpNode op:
                switch (op.Name)
                {
                    case "and":
                        return And(op.Args, 0);
                    case "or":
                        return Or(op.Args, 0);
                    case "!":
                        return Not(Truth(op.Args[0]));
                    case "!!":
                        return Truth(op.Args[0]);
                    case "if" or "?:":
                        return If(op.Args, 0);
                    case "==":
                        return Compare(CmpOp.Eq, op.Args[0], op.Args[1]);
                    case "===":
                        return Compare(CmpOp.StrictEq, op.Args[0], op.Args[1]);
                    case "!=":
                        return Compare(CmpOp.Ne, op.Args[0], op.Args[1]);
                    case "!==":
                        return Compare(CmpOp.StrictNe, op.Args[0], op.Args[1]);
                    case ">":
                        return Compare(CmpOp.Gt, op.Args[0], op.Args[1]);
                    case ">=":
                        return Compare(CmpOp.Ge, op.Args[0], op.Args[1]);
                    case "<":
                        return op.Args.Length == 2
                            ? Compare(CmpOp.Lt, op.Args[0], op.Args[1])
                            : Between(CmpOp.Lt, op.Args);
                    case "<=":
                        return op.Args.Length == 2
                            ? Compare(CmpOp.Le, op.Args[0], op.Args[1])
                            : Between(CmpOp.Le, op.Args);
                    case "in":
                        return In(op.Args[0], op.Args[1]);
                    case "var" when SlotOf(op) is { } slot:
                        {
                            // Booleans are the common case; anything else goes through JsonLogic truthiness.
                            var kind = KindOf(slot);
                            return Expression.Condition(
                                Expression.Equal(kind, Expression.Constant(Kind.True)),
                                T,
                                Expression.Condition(
                                    Expression.Equal(kind, Expression.Constant(Kind.False)),
                                    F,
                                    Expression.Call(Rt.Method(nameof(Rt.TruthOf)), Slot(slot))));
                        }
                }

                break;
        }

        return Expression.Call(Rt.Method(nameof(Rt.TruthOf)), Value(node));
    }

    /// <summary>Kleene AND, short-circuiting on the first false: t1 == F ? F : t1 &amp; (rest).</summary>
    private Expression And(Node[] args, int i)
    {
        var first = Truth(args[i]);
        if (i == args.Length - 1)
        {
            return first;
        }

        var rest = And(args, i + 1);
        var t = Expression.Variable(typeof(int));
        return Expression.Block(
            typeof(int),
            [t],
            Expression.Condition(
                Expression.Equal(Expression.Assign(t, first), F),
                F,
                _kleene ? Expression.And(t, rest) : rest));
    }

    /// <summary>Kleene OR, short-circuiting on the first true: t1 == T ? T : t1 | (rest).</summary>
    private Expression Or(Node[] args, int i)
    {
        var first = Truth(args[i]);
        if (i == args.Length - 1)
        {
            return first;
        }

        var rest = Or(args, i + 1);
        var t = Expression.Variable(typeof(int));
        return Expression.Block(
            typeof(int),
            [t],
            Expression.Condition(
                Expression.Equal(Expression.Assign(t, first), T),
                T,
                _kleene ? Expression.Or(t, rest) : rest));
    }

    private Expression Not(Expression inner)
    {
        if (!_kleene)
        {
            return Expression.Subtract(T, inner);
        }

        var t = Expression.Variable(typeof(int));
        return Expression.Block(
            typeof(int),
            [t],
            Expression.Condition(Expression.Equal(Expression.Assign(t, inner), U), U, Expression.Subtract(T, t)));
    }

    /// <summary>if: the truth of the chosen branch; an unknown condition makes it unknown.</summary>
    private Expression If(Node[] args, int i)
    {
        if (i >= args.Length)
        {
            return F; // no branch taken: null
        }

        if (i == args.Length - 1)
        {
            return Truth(args[i]);
        }

        var t = Expression.Variable(typeof(int));
        Expression chosen = Expression.Condition(
            Expression.Equal(t, T),
            Truth(args[i + 1]),
            If(args, i + 2));
        if (_kleene)
        {
            chosen = Expression.Condition(Expression.Equal(t, U), U, chosen);
        }

        return Expression.Block(typeof(int), [t], Expression.Assign(t, Truth(args[i])), chosen);
    }

    /// <summary>a &lt; b &lt; c: the Kleene AND of both comparisons (b is a pure expression, so reading it twice is safe).</summary>
    private Expression Between(CmpOp op, Node[] args)
    {
        var t = Expression.Variable(typeof(int));
        var second = Compare(op, args[1], args[2]);
        return Expression.Block(
            typeof(int),
            [t],
            Expression.Condition(
                Expression.Equal(Expression.Assign(t, Compare(op, args[0], args[1])), F),
                F,
                _kleene ? Expression.And(t, second) : second));
    }

    private Expression Compare(CmpOp op, Node a, Node b)
    {
        // Put the fact on the left: 5 < x is x > 5.
        if (a is LiteralNode && SlotOf(b) is not null)
        {
            (a, b) = (b, a);
            op = Mirror(op);
        }

        if (SlotOf(a) is { } slot && b is LiteralNode lit)
        {
            var slow = Expression.Call(
                Rt.Method(nameof(Rt.Compare)),
                Expression.Constant(op),
                Slot(slot),
                Expression.Constant(lit.Value),
                Expression.Constant(_kleene));
            var kind = KindOf(slot);
            var v = lit.Value;
            switch (v.Kind)
            {
                case Kind.Number:
                    {
                        var num = Expression.Field(SlotRef(slot), NumField);
                        var c = Expression.Constant(v.Num);
                        Expression test = op switch
                        {
                            CmpOp.Eq or CmpOp.StrictEq => Expression.Equal(num, c),
                            CmpOp.Ne or CmpOp.StrictNe => Expression.NotEqual(num, c),
                            CmpOp.Lt => Expression.LessThan(num, c),
                            CmpOp.Le => Expression.LessThanOrEqual(num, c),
                            CmpOp.Gt => Expression.GreaterThan(num, c),
                            _ => Expression.GreaterThanOrEqual(num, c),
                        };
                        return Expression.Condition(
                            Expression.Equal(kind, Expression.Constant(Kind.Number)),
                            Expression.Condition(test, T, F),
                            slow);
                    }

                case Kind.String when op is CmpOp.Eq or CmpOp.StrictEq or CmpOp.Ne or CmpOp.StrictNe:
                    {
                        var equal = Expression.Call(
                            StringEquals,
                            Expression.Call(AsString, Expression.Field(SlotRef(slot), ObjField)),
                            Expression.Constant(v.Str));
                        var positive = op is CmpOp.Eq or CmpOp.StrictEq;
                        return Expression.Condition(
                            Expression.Equal(kind, Expression.Constant(Kind.String)),
                            Expression.Condition(equal, positive ? T : F, positive ? F : T),
                            slow);
                    }

                case Kind.True or Kind.False when op is CmpOp.Eq or CmpOp.StrictEq or CmpOp.Ne or CmpOp.StrictNe:
                    {
                        var positive = op is CmpOp.Eq or CmpOp.StrictEq;
                        var other = v.Kind == Kind.True ? Kind.False : Kind.True;
                        return Expression.Condition(
                            Expression.Equal(kind, Expression.Constant(v.Kind)),
                            positive ? T : F,
                            Expression.Condition(
                                Expression.Equal(kind, Expression.Constant(other)),
                                positive ? F : T,
                                slow));
                    }

                default:
                    return slow;
            }
        }

        return Expression.Call(Rt.Method(nameof(Rt.Compare)), Expression.Constant(op), Value(a), Value(b), Expression.Constant(_kleene));
    }

    private static CmpOp Mirror(CmpOp op) => op switch
    {
        CmpOp.Lt => CmpOp.Gt,
        CmpOp.Le => CmpOp.Ge,
        CmpOp.Gt => CmpOp.Lt,
        CmpOp.Ge => CmpOp.Le,
        _ => op,
    };

    private Expression In(Node needle, Node haystack)
    {
        var slow = Expression.Call(Rt.Method(nameof(Rt.In)), Value(needle), Value(haystack), Expression.Constant(_kleene));

        // "医药健康" in focus_areas
        if (needle is LiteralNode { Value.Kind: Kind.String } lit && SlotOf(haystack) is { } arrSlot)
        {
            return Expression.Condition(
                Expression.Equal(KindOf(arrSlot), Expression.Constant(Kind.Array)),
                Expression.Condition(
                    Expression.Call(
                        Rt.Method(nameof(Rt.ArrayHasString)),
                        Expression.Call(AsArray, Expression.Field(SlotRef(arrSlot), ObjField)),
                        Expression.Constant(lit.Value.Str)),
                    T,
                    F),
                slow);
        }

        // district in ["海淀区", "昌平区"]
        if (SlotOf(needle) is { } strSlot && haystack is LiteralNode { Value.Kind: Kind.Array } list
            && list.Value.Arr.All(v => v.Kind == Kind.String))
        {
            var set = list.Value.Arr.Select(v => v.Str).ToFrozenSet(StringComparer.Ordinal);
            return Expression.Condition(
                Expression.Equal(KindOf(strSlot), Expression.Constant(Kind.String)),
                Expression.Condition(
                    Expression.Call(
                        Expression.Constant(set),
                        typeof(FrozenSet<string>).GetMethod(nameof(FrozenSet<string>.Contains))!,
                        Expression.Call(AsString, Expression.Field(SlotRef(strSlot), ObjField))),
                    T,
                    F),
                slow);
        }

        return slow;
    }

    // ------------------------------------------------------------------ value context (returns Val)

    private Expression Value(Node node)
    {
        switch (node)
        {
            case LiteralNode lit:
                return Expression.Constant(lit.Value);
            case OpNode op:
                switch (op.Name)
                {
                    case "var" when SlotOf(op) is { } slot:
                        return Slot(slot);
                    case "==" or "===" or "!=" or "!==" or ">" or ">=" or "<" or "<=" or "!" or "!!" or "in":
                        return Expression.Call(Rt.Method(nameof(Rt.FromTri)), Truth(op));
                    case "+":
                        return Fold(op.Args, Expression.Constant(Val.Zero), nameof(Rt.Plus));
                    case "*" when op.Args.Length > 1:
                        return Fold(op.Args[1..], Value(op.Args[0]), nameof(Rt.Times));
                    case "-" when op.Args.Length == 2:
                        return Expression.Call(Rt.Method(nameof(Rt.Minus)), Value(op.Args[0]), Value(op.Args[1]));
                    case "/":
                        return Expression.Call(Rt.Method(nameof(Rt.Divide)), Value(op.Args[0]), Value(op.Args[1]));
                    case "%":
                        return Expression.Call(Rt.Method(nameof(Rt.Remainder)), Value(op.Args[0]), Value(op.Args[1]));
                }

                break;
        }

        // Everything else: the interpreter's closure for this subtree, in the same mode.
        var eval = Interpreter.Instance.Compile(node);
        return Expression.Call(Rt.Method(nameof(Rt.Interpret)), Expression.Constant(eval), _facts, Expression.Constant(_kleene));
    }

    private Expression Fold(Node[] args, Expression seed, string method)
    {
        var acc = seed;
        foreach (var a in args)
        {
            acc = Expression.Call(Rt.Method(method), acc, Value(a));
        }

        return acc;
    }

    // ------------------------------------------------------------------ slots

    /// <summary>The slot of <c>{"var": "fact"}</c> with a constant one-segment path naming a schema fact and no default.</summary>
    private static int? SlotOf(Node node)
    {
        if (node is OpNode { Name: "var", Args: [LiteralNode path] })
        {
            var p = VarPath.From(path.Value);
            if (p.Segments.Length == 1 && p.Slot >= 0)
            {
                return p.Slot;
            }
        }

        return null;
    }

    private Expression SlotRef(int slot) => Expression.ArrayAccess(_slots, Expression.Constant(slot));

    private Expression Slot(int slot) => SlotRef(slot);

    private Expression KindOf(int slot) => Expression.Field(SlotRef(slot), KindField);
}

/// <summary>Runtime helpers the compiled trees call for everything off the fast path.</summary>
internal static class Rt
{
    public static MethodInfo Method(string name) =>
        typeof(Rt).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;

    public static int TruthOf(Val v) => v.Kind == Kind.Unknown ? Tri.Unknown : Js.Truthy(v) ? Tri.True : Tri.False;

    public static Val FromTri(int t) => t switch
    {
        Tri.True => Val.True,
        Tri.False => Val.False,
        _ => Val.UnknownNoInfo,
    };

    public static int Compare(CmpOp op, Val a, Val b, bool kleene)
    {
        if (kleene && (a.IsUnknown || b.IsUnknown))
        {
            return Tri.Unknown;
        }

        var r = op switch
        {
            CmpOp.Eq => Js.LooseEquals(a, b),
            CmpOp.StrictEq => Js.StrictEquals(a, b),
            CmpOp.Ne => !Js.LooseEquals(a, b),
            CmpOp.StrictNe => !Js.StrictEquals(a, b),
            CmpOp.Lt => Js.LessThan(a, b),
            CmpOp.Le => Js.LessOrEqual(a, b),
            CmpOp.Gt => Js.GreaterThan(a, b),
            _ => Js.GreaterOrEqual(a, b),
        };
        return r ? Tri.True : Tri.False;
    }

    public static int In(Val a, Val b, bool kleene)
    {
        if (kleene && (a.IsUnknown || b.IsUnknown))
        {
            return Tri.Unknown;
        }

        return Operators.In(a, b) ? Tri.True : Tri.False;
    }

    public static bool ArrayHasString(Val[] items, string s)
    {
        foreach (var item in items)
        {
            if (item.Kind == Kind.String && string.Equals(item.Str, s))
            {
                return true;
            }
        }

        return false;
    }

    public static Val Interpret(Eval eval, ProfileFacts facts, bool kleene) => eval(new Scope(default, facts, kleene));

    public static Val Plus(Val acc, Val x) =>
        acc.IsUnknown || x.IsUnknown ? Val.UnknownNoInfo : Js.Add(Js.ParseFloat(acc), Js.ParseFloat(x));

    public static Val Times(Val acc, Val x) =>
        acc.IsUnknown || x.IsUnknown ? Val.UnknownNoInfo : Js.Multiply(Js.ParseFloat(acc), Js.ParseFloat(x));

    public static Val Minus(Val a, Val b) =>
        a.IsUnknown || b.IsUnknown ? Val.UnknownNoInfo : Js.Subtract(Js.ToNumber(a), Js.ToNumber(b));

    public static Val Divide(Val a, Val b) =>
        a.IsUnknown || b.IsUnknown ? Val.UnknownNoInfo : Js.Divide(Js.ToNumber(a), Js.ToNumber(b));

    public static Val Remainder(Val a, Val b) =>
        a.IsUnknown || b.IsUnknown ? Val.UnknownNoInfo : Js.Remainder(Js.ToNumber(a), Js.ToNumber(b));
}
