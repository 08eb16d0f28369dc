using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Data.Configurations;

internal sealed class SalespersonConfiguration : IEntityTypeConfiguration<Salesperson>
{
    public void Configure(EntityTypeBuilder<Salesperson> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(120);
        builder.HasIndex(s => s.StoreId);
        builder.HasOne<Store>().WithMany().HasForeignKey(s => s.StoreId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(s => s.Identities).WithOne().HasForeignKey(i => i.SalespersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgentIdentityConfiguration : IEntityTypeConfiguration<AgentIdentity>
{
    public void Configure(EntityTypeBuilder<AgentIdentity> builder)
    {
        builder.Property(i => i.Identity).HasMaxLength(120);
        // One phone-system identity names one person within an integration.
        builder.HasIndex(i => new { i.IntegrationId, i.Identity }).IsUnique();
        builder.HasOne<Integration>().WithMany().HasForeignKey(i => i.IntegrationId).OnDelete(DeleteBehavior.Cascade);
    }
}
