namespace PolicyMatch.Web.Features.Incubators;

public static class IncubatorFeature
{
    /// <summary>The incubator workspace's services.</summary>
    public static IServiceCollection AddIncubatorFeature(this IServiceCollection services) => services;
}
