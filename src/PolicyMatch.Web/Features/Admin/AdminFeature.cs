namespace PolicyMatch.Web.Features.Admin;

public static class AdminFeature
{
    /// <summary>The audit log every administrative action writes to, and the admin pages read.</summary>
    public static IServiceCollection AddAdminFeature(this IServiceCollection services) => services
        .AddSingleton<AuditLog>();
}
