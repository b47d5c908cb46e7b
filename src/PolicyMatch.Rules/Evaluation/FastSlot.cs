namespace PolicyMatch.Rules.Evaluation;

/// <summary>
/// A fact slot as the compiled predicates read it: the kind (an unknown fact is <see cref="Kind.Null"/>, which
/// no fast path accepts), the reference value, and integers pre-converted to long so the common comparisons
/// (employees ≥ 50, srdi_rank ≥ 2) are one integer compare instead of a decimal one.
/// </summary>
internal struct FastSlot
{
    public object? Obj;
    public long Int;
    public Kind Kind;
    public bool IsInt;

    public static FastSlot From(in Val v)
    {
        var s = new FastSlot { Obj = v.Obj, Kind = v.Kind };
        if (v.Kind == Kind.Number && decimal.IsInteger(v.Num) && v.Num >= long.MinValue && v.Num <= long.MaxValue)
        {
            s.Int = (long)v.Num;
            s.IsInt = true;
        }

        return s;
    }
}
