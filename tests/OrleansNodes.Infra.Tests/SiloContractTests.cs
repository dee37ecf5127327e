namespace OrleansNodes.Infra.Tests;

/// <summary>The helpers the infrastructure checks rest on must reject what the silo would not read.</summary>
public sealed class SiloContractTests
{
    [Theory]
    [InlineData("ORLEANSNODES__REDIS__CONNECTIONSTRING", "redis:6379")]
    [InlineData("ORLEANSNODES__AZURESTORAGE__MANAGEDIDENTITYCLIENTID", "00000000-0000-0000-0000-000000000000")]
    [InlineData("ORLEANSNODES__SILOPORT", "11112")]
    [InlineData("ORLEANSNODES__KUBERNETES", "true")]
    public void BindProblem_RealSetting_IsNone(string name, string value) => Assert.Null(SiloContract.BindProblem(name, value));

    [Theory]
    [InlineData("ORLEANSNODES__REDIS__CONNECTIONSTRNG", "redis:6379")] // misspelt
    [InlineData("ORLEANSNODES__ADVERTISEDIP", "10.0.0.1")] // not a setting
    [InlineData("ORLEANSNODES__SILOPORT", "eleven")] // not a port
    public void BindProblem_UnknownOrMistypedSetting_IsReported(string name, string value) => Assert.NotNull(SiloContract.BindProblem(name, value));

    [Theory]
    [InlineData("ORLEANSNODES__DASHBOARD__PASSWORD", true)]
    [InlineData("ORLEANSNODES__GATEWAYPORT", true)]
    [InlineData("ORLEANSNODES__DASHBOARD", false)] // a section, not a value
    [InlineData("ORLEANSNODES__TLS__ENABLED", false)] // computed, not settable
    [InlineData("ORLEANSNODES__AZURESTORAGE__KEY", false)]
    [InlineData("ORLEANS_CLUSTER_ID", false)]
    public void PropertyFor_Name_FindsOnlySettableValues(string name, bool found) => Assert.Equal(found, SiloContract.PropertyFor(name) is not null);
}
