using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Data.Configurations;

internal sealed class DisplayLinkConfiguration : IEntityTypeConfiguration<DisplayLink>
{
    public void Configure(EntityTypeBuilder<DisplayLink> builder)
    {
        builder.Property(l => l.Name).HasMaxLength(120);
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        // Every TV request and hub connection finds its link by the token's hash.
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasIndex(l => l.StoreId);
        builder.HasOne<Store>().WithMany().HasForeignKey(l => l.StoreId).OnDelete(DeleteBehavior.Cascade);
    }
}
