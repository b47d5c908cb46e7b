using PolicyMatch.Web.Features.Profiles;

namespace PolicyMatch.Web.Tests.Profiles;

public class UsccTests
{
    [Theory]
    [InlineData("91110000600037341L")] // the example in shared/data/reference
    [InlineData("91110108MA01G0FB09")]
    public void Valid_codes_pass(string code) => Assert.Equal(Uscc.Problem.None, Uscc.Check(WithCheck(code)));

    [Fact]
    public void The_reference_example_is_valid_as_published() => Assert.True(Uscc.IsValid("91110000600037341L"));

    [Theory]
    [InlineData("91110000600037341X", Uscc.Problem.CheckCharacter)]
    [InlineData("9111000060003734", Uscc.Problem.Length)]
    [InlineData("91110000600037341LL", Uscc.Problem.Length)]
    [InlineData("", Uscc.Problem.Length)]
    [InlineData(null, Uscc.Problem.Length)]
    [InlineData("9111000060003734IL", Uscc.Problem.Character)] // I is not in the alphabet
    [InlineData("91110000600037341l", Uscc.Problem.Character)] // lower case is not either
    public void Invalid_codes_say_what_is_wrong(string? code, Uscc.Problem problem) => Assert.Equal(problem, Uscc.Check(code));

    private static string WithCheck(string code) => code[..17] + Uscc.CheckCharacterFor(code[..17]);
}
