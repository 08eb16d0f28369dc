using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Data.Configurations;

internal sealed class IntegrationConfiguration : IEntityTypeConfiguration<Integration>
{
    public void Configure(EntityTypeBuilder<Integration> builder)
    {
        builder.Property(i => i.Name).HasMaxLength(120);
        builder.HasOne<Store>().WithMany().HasForeignKey(i => i.DefaultStoreId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IntegrationCredentialConfiguration : IEntityTypeConfiguration<IntegrationCredential>
{
    public void Configure(EntityTypeBuilder<IntegrationCredential> builder)
    {
        builder.Property(c => c.Secret).HasMaxLength(200);
        builder.HasIndex(c => c.IntegrationId);
        builder.HasOne<Integration>().WithMany().HasForeignKey(c => c.IntegrationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HuntGroupMappingConfiguration : IEntityTypeConfiguration<HuntGroupMapping>
{
    public void Configure(EntityTypeBuilder<HuntGroupMapping> builder)
    {
        builder.Property(g => g.Group).HasMaxLength(120);
        builder.HasIndex(g => new { g.IntegrationId, g.Group }).IsUnique();
        builder.HasOne<Integration>().WithMany().HasForeignKey(g => g.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<TrackingNumber>().WithMany().HasForeignKey(g => g.TrackingNumberId).OnDelete(DeleteBehavior.Cascade);
    }
}
