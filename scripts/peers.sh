# scripts/peers.sh, sourced by run.sh, test.sh and update-reference.sh from
# the checkout's top: which peers (peers/) this build makes and the main job
# loads.  LLFree: the checkout FRAMEBENCH_LLFREE_DIR names, else
# ../shared/peers/llfree-c beside this checkout when it is there, else none
# (the peer's test then says it was skipped and why).
#   peers_cmake  the cmake argument (an empty value clears an earlier one)
#   peers_load   framebench's --load arguments for the build in build/release
llfree_dir=${FRAMEBENCH_LLFREE_DIR:-}
if [ -z "$llfree_dir" ] && [ -f ../shared/peers/llfree-c/include/llfree.h ]; then
  llfree_dir=$(cd ../shared/peers/llfree-c && pwd)
fi
if [ -n "$llfree_dir" ] && [ ! -f "$llfree_dir/include/llfree.h" ]; then
  echo "FRAMEBENCH_LLFREE_DIR=$llfree_dir: not a checkout of llfree-c (no include/llfree.h)" >&2
  exit 2
fi
peers_cmake="-DFRAMEBENCH_LLFREE_DIR=$llfree_dir"
peers_load=""
[ -z "$llfree_dir" ] || peers_load="--load build/release/peers/llfree.so"
