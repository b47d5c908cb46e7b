using PolicyMatch.Web.Features.Admin;

namespace PolicyMatch.Web.Features.Authoring;

public static class AuthoringFeature
{
    /// <summary>The administrators' authoring services (and the audit log, which the admin pages read).</summary>
    public static IServiceCollection AddAuthoringFeature(this IServiceCollection services) => services
        .AddSingleton<AuditLog>()
        .AddSingleton<AuthoringService>()
        .AddSingleton<ImpactPreview>();
}
