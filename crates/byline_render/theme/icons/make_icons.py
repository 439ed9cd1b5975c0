# Rasterizes the theme's logo.svg geometry (600x600: a rounded navy square, four white bars).
from PIL import Image, ImageDraw
def icon(size, pad=0.0):
    S = 4  # supersample
    n = size * S
    img = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    k = n / 600.0
    inset = pad * n
    kk = (n - 2 * inset) / 600.0
    def r(x, y, w, h, rad, fill):
        d.rounded_rectangle([inset + x * kk, inset + y * kk, inset + (x + w) * kk, inset + (y + h) * kk], radius=rad * kk, fill=fill)
    if pad:  # maskable/touch icon: full-bleed background
        d.rectangle([0, 0, n, n], fill=(0x14, 0x21, 0x3d, 255))
    else:
        r(0, 0, 600, 600, 96, (0x14, 0x21, 0x3d, 255))
    for (x, y, w, h) in [(130, 150, 340, 70), (130, 265, 340, 40), (130, 350, 340, 40), (130, 435, 220, 40)]:
        r(x, y, w, h, 12, (255, 255, 255, 255))
    return img.resize((size, size), Image.LANCZOS)
icon(180, pad=0.08).convert("RGB").save("apple-touch-icon.png", optimize=True)
icon(192).save("icon-192.png", optimize=True)
icon(512).save("icon-512.png", optimize=True)
icon(512, pad=0.1).save("icon-maskable-512.png", optimize=True)
icon(48).save("favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
