using PolicyMatch.Web.Features.Profiles;

namespace PolicyMatch.Web.Tests.Infrastructure;

/// <summary>Test data every suite needs.</summary>
public static class TestData
{
    private static int _serial = Random.Shared.Next(1_000_000, 8_000_000);

    /// <summary>
    /// A valid 统一社会信用代码, different on every call within a run (a 昌平 code: 91110114MA + 7 digits
    /// + check), so tests sharing one portal never collide on the unique code.
    /// </summary>
    public static string NewUscc()
    {
        var first17 = "91110114MA" + Interlocked.Increment(ref _serial).ToString("D7");
        return first17 + Uscc.CheckCharacterFor(first17);
    }
}
