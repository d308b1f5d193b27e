#!/bin/sh
# Regenerates the demo videos, their posters and the portraits loaded by counsellors/demo.py.
# Needs ffmpeg built with drawtext (Debian's is), the DejaVu fonts and Pillow (project venv).
# The captions (*.vtt) are written by hand: keep them in step with the 15-second videos.
set -eu
cd "$(dirname "$0")"
PYTHON="${PYTHON:-../../.venv/bin/python}"
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

# slug, first name, background colour (white text on it must stay readable)
make_video() {
    ffmpeg -y -loglevel error \
        -f lavfi -i "color=c=$3:s=480x270:r=12:d=15" \
        -f lavfi -i "anullsrc=channel_layout=mono:sample_rate=22050" \
        -vf "drawtext=fontfile=$FONT:text=$2:fontcolor=white:fontsize=56:x=(w-tw)/2:y=(h-th)/2-24,\
drawtext=fontfile=$FONT:text=Vidéo de démonstration:fontcolor=white:fontsize=20:x=(w-tw)/2:y=h/2+36" \
        -t 15 -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -crf 30 \
        -c:a aac -b:a 24k -movflags +faststart -shortest "$1.mp4"
    ffmpeg -y -loglevel error -ss 2 -i "$1.mp4" -frames:v 1 -q:v 8 "$1-poster.jpg"
}

# slug, initial, colour: a filled circle with the initial, drawn large then reduced (smooth edges)
make_portrait() {
    "$PYTHON" - "$@" <<'PY'
import sys

from PIL import Image, ImageDraw, ImageFont

slug, initial, colour = sys.argv[1:]
size = 960
image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
draw = ImageDraw.Draw(image)
draw.ellipse((0, 0, size - 1, size - 1), fill=colour)
font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 480)
draw.text((size / 2, size / 2), initial, font=font, fill="white", anchor="mm")
image.resize((240, 240), Image.LANCZOS).save(f"{slug}.png", optimize=True)
PY
}

make_video samia Samia "#1d4e89"
make_video kevin Kévin "#8a2c5a"
make_video marta Marta "#2d6a4f"
make_video yanis Yanis "#9c4a00"
make_portrait samia S "#1d4e89"
make_portrait kevin K "#8a2c5a"
make_portrait marta M "#2d6a4f"
make_portrait yanis Y "#9c4a00"
