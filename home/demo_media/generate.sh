#!/bin/sh
# Regenerates the demo welcome video and its poster, loaded by home/demo.py.
# Needs ffmpeg built with drawtext (Debian's is) and the DejaVu fonts.
# The captions (welcome.vtt) are written by hand: keep them in step with the 15-second video.
set -eu
cd "$(dirname "$0")"
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

ffmpeg -y -loglevel error \
    -f lavfi -i "color=c=#5a2ca0:s=480x270:r=12:d=15" \
    -f lavfi -i "anullsrc=channel_layout=mono:sample_rate=22050" \
    -vf "drawtext=fontfile=$FONT:text=Bienvenue !:fontcolor=white:fontsize=56:x=(w-tw)/2:y=(h-th)/2-24,\
drawtext=fontfile=$FONT:text=Vidéo de démonstration:fontcolor=white:fontsize=20:x=(w-tw)/2:y=h/2+36" \
    -t 15 -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -crf 30 \
    -c:a aac -b:a 24k -movflags +faststart -shortest welcome.mp4
ffmpeg -y -loglevel error -ss 2 -i welcome.mp4 -frames:v 1 -q:v 8 welcome-poster.jpg
