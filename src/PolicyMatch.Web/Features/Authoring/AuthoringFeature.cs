namespace PolicyMatch.Web.Features.Authoring;

public static class AuthoringFeature
{
    /// <summary>The administrators' authoring services.</summary>
    public static IServiceCollection AddAuthoringFeature(this IServiceCollection services) => services
        .AddSingleton<AuthoringService>()
        .AddSingleton<ImpactPreview>();
}
