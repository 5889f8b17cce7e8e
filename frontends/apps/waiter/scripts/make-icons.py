"""Draws the PWA icons (plate + "T") committed in public/: the manifest needs PNGs and no artwork exists yet."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

PUBLIC = Path(__file__).resolve().parent.parent / "public"
BACKGROUND = (31, 41, 55, 255)  # #1f2937, the manifest's theme colour
PLATE = (248, 250, 252, 255)
RIM = (203, 213, 225, 255)
ACCENT = (217, 119, 6, 255)  # amber
SUPERSAMPLE = 4


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        # Launchers crop maskable icons to any shape inside the central 80 % circle: fill everything.
        pen.rectangle((0, 0, big, big), fill=BACKGROUND)
        scale = 0.62
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.22, fill=BACKGROUND)
        scale = 0.8
    centre = big / 2
    plate_r = big * scale / 2
    pen.ellipse((centre - plate_r, centre - plate_r, centre + plate_r, centre + plate_r), fill=PLATE)
    rim_r = plate_r * 0.78
    rim_w = max(1, round(plate_r * 0.05))
    pen.ellipse((centre - rim_r, centre - rim_r, centre + rim_r, centre + rim_r), outline=RIM, width=rim_w)
    # The "T": a bar and a stem, sized from the plate so it reads at 48 px too.
    bar_w, bar_h = plate_r * 0.95, plate_r * 0.22
    stem_w, stem_h = plate_r * 0.26, plate_r * 0.95
    top = centre - (bar_h + stem_h) / 2 + plate_r * 0.04
    pen.rounded_rectangle((centre - bar_w / 2, top, centre + bar_w / 2, top + bar_h), radius=bar_h * 0.3, fill=ACCENT)
    pen.rounded_rectangle(
        (centre - stem_w / 2, top + bar_h * 0.6, centre + stem_w / 2, top + bar_h + stem_h),
        radius=stem_w * 0.3,
        fill=ACCENT,
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    PUBLIC.mkdir(parents=True, exist_ok=True)
    outputs = {
        "icon-192.png": (192, False),
        "icon-512.png": (512, False),
        "icon-maskable-192.png": (192, True),
        "icon-maskable-512.png": (512, True),
        "apple-touch-icon.png": (180, True),  # iOS draws its own rounded corners and ignores transparency
    }
    for name, (size, maskable) in outputs.items():
        image = draw(size, maskable=maskable)
        if name == "apple-touch-icon.png":
            image = image.convert("RGB")
        image.save(PUBLIC / name, optimize=True)
        print(f"wrote {PUBLIC / name}")


if __name__ == "__main__":
    main()
