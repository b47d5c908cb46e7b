using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Account;

/// <summary>
/// Creates an administrator from the command line — there is no default password:
/// <code>POLICYMATCH_ADMIN_PASSWORD='…' dotnet run --project src/PolicyMatch.Web -- create-admin admin@example.org "管理员"</code>
/// Without the variable the password is read from standard input (one line).
/// </summary>
public static class AdminCommand
{
    public const string Name = "create-admin";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (args.Length is < 1 or > 2 || !args[0].Contains('@'))
        {
            Console.Error.WriteLine($"usage: {Name} EMAIL [NAME]   (password from POLICYMATCH_ADMIN_PASSWORD or standard input)");
            return 2;
        }
        var password = Environment.GetEnvironmentVariable("POLICYMATCH_ADMIN_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.Write("password: ");
            password = Console.ReadLine();
        }
        if (password is null || password.Length < 10)
        {
            Console.Error.WriteLine("the password needs at least 10 characters");
            return 2;
        }
        await services.GetRequiredService<MigrationRunner>().ApplyAsync();
        var id = await services.GetRequiredService<UserRepository>()
            .CreateAsync(args[0], args.Length > 1 ? args[1] : "Administrator", AccountService.Hash(password), Roles.Admin);
        if (id is null)
        {
            Console.Error.WriteLine($"a user with the email {args[0]} exists already");
            return 1;
        }
        Console.WriteLine($"administrator {args[0]} created (id {id})");
        return 0;
    }
}
