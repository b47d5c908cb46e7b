namespace PolicyMatch.Web.Features.Account;

public static class Roles
{
    public const string Company = "company";
    public const string Advisor = "advisor";
    public const string Admin = "admin";
}
